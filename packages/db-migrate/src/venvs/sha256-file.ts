import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The sha256 (lowercase hex) and size of a file, read as a stream: constant memory for any size. */
export async function sha256OfFile(file: string, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { signal }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
