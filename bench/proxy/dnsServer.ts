/**
 * A DNS server on loopback (dns2, UDP) whose A records tests change while HAProxy runs:
 * the stand-in for the VPC resolver answering `<account>.openai.azure.com`.
 */
import DNS from "dns2";

const { Packet } = DNS;

const NXDOMAIN = 3;

export interface TestDnsServer {
  /** "127.0.0.1:<port>", as HAProxy's `nameserver` wants it. */
  readonly address: string;
  /** Points `name` at `ipv4`, or removes it (queries then get NXDOMAIN). */
  set(name: string, ipv4: string | undefined): void;
  /** A queries answered or refused so far, for `name`. */
  queries(name: string): number;
  stop(): Promise<void>;
}

export async function startDnsServer(host = "127.0.0.1"): Promise<TestDnsServer> {
  const records = new Map<string, string>();
  const counts = new Map<string, number>();
  const key = (name: string) => name.toLowerCase().replace(/\.$/, "");

  const server = DNS.createUDPServer((request, send) => {
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    for (const question of request.questions) {
      const name = key(question.name);
      const address = records.get(name);
      if (question.type === Packet.TYPE.A) counts.set(name, (counts.get(name) ?? 0) + 1);
      if (address === undefined) {
        response.header.rcode = NXDOMAIN;
      } else if (question.type === Packet.TYPE.A) {
        // TTL 1: HAProxy ignores it anyway, but nothing else should cache the test's answer.
        response.answers.push(Packet.createResourceFromQuestion(question, { ttl: 1, address }));
      }
      // Any other type for a known name: NOERROR with no answer, like a real zone without AAAA.
    }
    void send(response);
  });
  server.on("requestError", () => undefined);
  await server.listen(0, host);
  const { port } = server.address();

  return {
    address: `${host}:${port}`,
    set: (name, ipv4) => (ipv4 === undefined ? records.delete(key(name)) : records.set(key(name), ipv4)),
    queries: (name) => counts.get(key(name)) ?? 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
