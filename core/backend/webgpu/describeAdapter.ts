// What a WebGPU adapter is, in plain data for `voxlab doctor` and the backend choice (issue #12): vendor,
// architecture, device, description, whether it is a software rasteriser on the CPU (SwiftShader,
// llvmpipe/lavapipe, WARP), and the limits that decide what fits. No Dawn or GPU needed: it reads the
// fields of whatever adapter-like object it is given.

/** The adapter limits that decide which tensors fit (bytes unless named otherwise). */
export interface AdapterLimits {
  /** Largest storage buffer one shader binding may see: caps a single tensor on tfjs's webgpu backend. */
  readonly maxStorageBufferBindingSize: number;
  /** Largest buffer the device may allocate. */
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupsPerDimension: number;
}

export const ADAPTER_LIMIT_NAMES = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupsPerDimension',
] as const satisfies readonly (keyof AdapterLimits)[];

/** A WebGPU adapter described. */
export interface AdapterDescription {
  /** GPUAdapterInfo fields as the driver reports them ('' when it does not). */
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** True for an adapter that runs on the CPU: never chosen by 'auto'. */
  readonly software: boolean;
  /** Why it counts as software (e.g. 'SwiftShader, Vulkan on the CPU'), or null for a hardware GPU. */
  readonly softwareReason: string | null;
  /** The adapter's own isFallbackAdapter flag (false when it does not say). */
  readonly isFallbackAdapter: boolean;
  readonly limits: AdapterLimits;
  /** Optional features it offers (e.g. 'shader-f16', 'timestamp-query'), sorted. */
  readonly features: readonly string[];
}

/** The parts of a GPUAdapter (Dawn or a browser) read here. */
export interface AdapterLike {
  readonly info?: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> & {
    readonly isFallbackAdapter?: boolean;
  };
  /** Older spelling of the fallback flag, on the adapter itself. */
  readonly isFallbackAdapter?: boolean;
  readonly limits: Partial<Record<keyof AdapterLimits, number>>;
  readonly features: Iterable<string>;
}

/** Software implementations by the names their drivers report, with what they are. */
const SOFTWARE_DRIVERS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /swiftshader/i, what: 'SwiftShader, Vulkan on the CPU' },
  { pattern: /llvmpipe/i, what: 'llvmpipe, Mesa OpenGL on the CPU' },
  { pattern: /lavapipe/i, what: 'lavapipe, Mesa Vulkan on the CPU' },
  { pattern: /softpipe/i, what: 'softpipe, Mesa on the CPU' },
  { pattern: /microsoft basic render/i, what: 'WARP, Direct3D on the CPU' },
];

/** Reads `adapter` into an AdapterDescription; missing fields become '' or 0. */
export function describeAdapter(adapter: AdapterLike): AdapterDescription {
  const info = adapter.info ?? {};
  const text = (v: string | undefined) => (typeof v === 'string' ? v : '');
  const [vendor, architecture, device, description] = [
    text(info.vendor),
    text(info.architecture),
    text(info.device),
    text(info.description),
  ];
  const isFallbackAdapter = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  const haystack = `${vendor} ${architecture} ${device} ${description}`;
  const driver = SOFTWARE_DRIVERS.find((d) => d.pattern.test(haystack));
  const softwareReason = driver?.what ?? (isFallbackAdapter ? 'the fallback (CPU) adapter' : null);
  const limits = Object.fromEntries(
    ADAPTER_LIMIT_NAMES.map((name) => [name, Number(adapter.limits[name] ?? 0)]),
  ) as unknown as AdapterLimits;
  return {
    vendor,
    architecture,
    device,
    description,
    software: softwareReason !== null,
    softwareReason,
    isFallbackAdapter,
    limits,
    features: [...adapter.features].sort(),
  };
}

/** One line naming the adapter, e.g. 'nvidia ampere (NVIDIA GeForce RTX 3060)'. */
export function adapterName(d: AdapterDescription): string {
  const head = [d.vendor, d.architecture].filter((s) => s !== '').join(' ') || 'unknown vendor';
  const detail = d.description !== '' ? d.description : d.device;
  return detail !== '' ? `${head} (${detail})` : head;
}

/** The limits in words, e.g. 'max binding 2.0 GiB, max buffer 4.0 GiB'. */
export function limitsSummary(l: AdapterLimits): string {
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  return (
    `max storage binding ${gib(l.maxStorageBufferBindingSize)}, max buffer ${gib(l.maxBufferSize)}, ` +
    `workgroup memory ${l.maxComputeWorkgroupStorageSize / 1024} KiB, ` +
    `${l.maxComputeInvocationsPerWorkgroup} invocations per workgroup`
  );
}
