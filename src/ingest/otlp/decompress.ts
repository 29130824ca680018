import { AppError, validationError } from "../../errors";
import { reasonOf } from "../common/result";

export type Compression = "gzip" | "deflate";

function tooLarge(maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `Decompressed body is larger than ${maxBytes} bytes; send smaller batches`, [
    { max_bytes: maxBytes },
  ]);
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Inflate a body with the web DecompressionStream (present in Node 20 and workerd), stopping as soon
 * as the output passes `maxBytes`, so a small gzip bomb cannot exhaust memory.
 * @returns the bytes, or an AppError (PAYLOAD_TOO_LARGE, or VALIDATION_ERROR for corrupt data)
 */
export async function decompress(
  body: Uint8Array,
  format: Compression,
  maxBytes: number,
): Promise<Uint8Array | AppError> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
  const reader = source.pipeThrough(new DecompressionStream(format)).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return concat(chunks, total);
      }
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    return validationError(`Body is not valid ${format} data: ${reasonOf(error)}`);
  }
}
