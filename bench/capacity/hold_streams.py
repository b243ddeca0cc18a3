"""Child process of `bench:capacity`: opens and holds thousands of TLS streams through a proxy.

Python rather than Node because a slow reader needs a small SO_RCVBUF, which Node cannot set on TCP:
with the client's receive buffer kept small, the data it does not read stays in the proxy (its
buffers and its socket buffers), which is what the benchmark measures.

argv: host port sni cafile rcvbuf_bytes (0: the kernel default)
stdin: "open N" (hold N streams in total; answers {"established":n,"failed":n,"error":...});
       EOF closes every stream and exits. The streams are never read.
"""
import json
import selectors
import socket
import ssl
import sys
import time

HANDSHAKES_IN_FLIGHT = 64
OPEN_DEADLINE_SECONDS = 90

host, port, sni, cafile, rcvbuf = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
context = ssl.create_default_context(cafile=cafile)
# TLS 1.2 so that every stream after the first resumes the first one's session (abbreviated
# handshake, no public-key operations): thousands of handshakes stay cheap on a shared machine.
# The proxy relays the bytes without looking past the ClientHello either way.
context.maximum_version = ssl.TLSVersion.TLSv1_2
session = None
selector = selectors.DefaultSelector()
held = []
failed = 0
last_error = None


def start_one():
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    raw.setblocking(False)
    raw.connect_ex((host, port))
    selector.register(raw, selectors.EVENT_WRITE, "connecting")


def fail(sock, error):
    global failed, last_error
    failed += 1
    last_error = str(error)
    selector.unregister(sock)
    sock.close()


def advance(sock, state):
    global session
    if state == "connecting":
        error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if error:
            return fail(sock, OSError(error, "connect"))
        selector.unregister(sock)
        sock = context.wrap_socket(sock, server_hostname=sni, do_handshake_on_connect=False, session=session)
        selector.register(sock, selectors.EVENT_WRITE, "handshake")
    try:
        sock.do_handshake()
    except ssl.SSLWantReadError:
        return selector.modify(sock, selectors.EVENT_READ, "handshake")
    except ssl.SSLWantWriteError:
        return selector.modify(sock, selectors.EVENT_WRITE, "handshake")
    except (OSError, ssl.SSLError) as error:
        return fail(sock, error)
    selector.unregister(sock)
    held.append(sock)
    if session is None:
        session = sock.session


def open_until(total):
    deadline = time.monotonic() + OPEN_DEADLINE_SECONDS
    started = len(held) + failed
    in_flight = 0
    while len(held) + failed < total and time.monotonic() < deadline:
        in_flight = len(selector.get_map())
        while in_flight < HANDSHAKES_IN_FLIGHT and started < total:
            start_one()
            started += 1
            in_flight += 1
        for key, _ in selector.select(timeout=1):
            advance(key.fileobj, key.data)
    return {"established": len(held), "failed": failed, "error": last_error}


for line in sys.stdin:
    words = line.split()
    if words[:1] == ["open"]:
        print(json.dumps(open_until(int(words[1]))), flush=True)
for sock in held:
    sock.close()
