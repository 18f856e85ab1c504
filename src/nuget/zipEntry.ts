/** One entry of a zip's central directory (PKWARE APPNOTE.TXT 6.3 §4.3.12), as zip.ts lists it. */
export interface ZipEntry {
  /** Entry path as stored (forward slashes expected; see packageEntries.ts for the rules). */
  name: string;
  /** 0 = stored, 8 = deflate (APPNOTE §4.4.5). */
  method: number;
  /** General purpose bit flags (APPNOTE §4.4.4). */
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the next entry (or the central directory) starts: this entry's header and data must end by here. */
  dataLimit: number;
}
