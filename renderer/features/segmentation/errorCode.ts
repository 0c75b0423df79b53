// A thrown value's VoxlabError code, without importing the class (errors cross IPC/HTTP as plain objects too).

export function isVoxlabErrorLike(e: unknown, code: string): boolean {
  return e !== null && typeof e === 'object' && (e as { code?: unknown }).code === code;
}
