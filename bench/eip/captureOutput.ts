/** What the code under test wrote: Powertools writes log lines and EMF blobs as one JSON object a line. */
export interface CapturedOutput<T> {
  result: PromiseSettledResult<T>;
  /** Every JSON line written to stdout or stderr, in order. */
  records: Array<Record<string, unknown>>;
}

/**
 * Runs `work` with stdout and stderr captured (and kept off the test report), then restores them.
 * Powertools writes through its own Console bound to process.stdout/stderr, so the streams' `write`
 * is what must be intercepted.
 */
export async function captureOutput<T>(work: () => Promise<T>): Promise<CapturedOutput<T>> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof stream.write;
  }
  let result: PromiseSettledResult<T>;
  try {
    result = { status: "fulfilled", value: await work() };
  } catch (reason) {
    result = { status: "rejected", reason };
  } finally {
    streams.forEach((stream, i) => (stream.write = originals[i]));
  }
  return { result, records: parseJsonLines(chunks.join("")) };
}

function parseJsonLines(text: string): Array<Record<string, unknown>> {
  return text.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}
