// Names for an upload: a fresh upload id per attempt (the contract's id: [A-Za-z0-9._-], alphanumeric first,
// at most 128) and a name per file that stays unique inside the upload even when two subfolders hold files
// of the same name (IM0001 in every series folder) and several are sent at once.

/** A new upload id: 'upload-' + local date-time to the second + 8 random base-36 characters. */
export function newUploadId(now: Date, random: () => number = Math.random): string {
  const p = (n: number, width = 2) => String(n).padStart(width, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  let tail = '';
  for (let i = 0; i < 8; i++) tail += Math.floor(random() * 36).toString(36);
  return `upload-${stamp}-${tail}`;
}

/** The name file number `index` (0-based) of the upload is sent under: '00012_IM0001.dcm' for 'S3/IM0001.dcm'. */
export function stageName(index: number, path: string): string {
  const base = path.split('/').pop() || 'file';
  return `${String(index).padStart(5, '0')}_${base}`;
}
