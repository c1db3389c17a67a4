import type { IncomingMessage } from "node:http";

export type MultipartResult =
  | { kind: "ok"; form: FormData }
  | { kind: "tooLarge"; receivedBytes: number }
  | { kind: "invalid"; reason: string };

/**
 * Parses a `multipart/form-data` request with the Fetch API's parser. Bytes are counted
 * while streaming, and parsing stops as soon as the body exceeds `maxBytes`, so an
 * oversized upload is rejected before it is buffered in full. The rest of such a body keeps
 * flowing into the still attached listener and is discarded, which keeps the connection usable.
 */
export async function readMultipartForm(request: IncomingMessage, maxBytes: number): Promise<MultipartResult> {
  let receivedBytes = 0;
  let tooLarge = false;
  let finished = false;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      request.on("data", (chunk: Buffer) => {
        if (finished) {
          return;
        }
        receivedBytes += chunk.length;
        if (receivedBytes > maxBytes) {
          tooLarge = true;
          finished = true;
          controller.error(new Error(`Multipart body exceeds ${maxBytes} bytes.`));
          return;
        }
        controller.enqueue(new Uint8Array(chunk));
      });
      request.on("end", () => {
        if (!finished) {
          finished = true;
          controller.close();
        }
      });
      request.on("error", (error) => {
        if (!finished) {
          finished = true;
          controller.error(error);
        }
      });
    },
  });

  const headers = new Headers();
  headers.set("content-type", request.headers["content-type"] ?? "");
  const parsed = new Request("http://sandbox.invalid/upload", { method: "POST", headers, body, duplex: "half" } as RequestInit);
  try {
    return { kind: "ok", form: await parsed.formData() };
  } catch (error) {
    if (tooLarge) {
      return { kind: "tooLarge", receivedBytes };
    }
    return { kind: "invalid", reason: error instanceof Error ? error.message : String(error) };
  }
}
