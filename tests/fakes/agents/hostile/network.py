"""Case 5: tries to reach the host over the network and looks at which interfaces it has.

It connects to the listener the test runs on the host's 127.0.0.1 (the port is a hint), to
Docker's socket (whoever reaches it owns the host), and lists the interfaces it can see three
ways: ``socket.if_nameindex()`` and ``/proc/net/dev`` (its network namespace) and
``/sys/class/net`` (whatever ``/sys`` shows). ``/proc/net/tcp`` tells whether the host's
listening sockets are visible. Nothing is ever sent to an address outside this machine.
"""

import os
import socket

from _common import hints, listdir, read_bytes, run, try_call

DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock")


def connect_tcp(host, port):
    with socket.create_connection((host, port), timeout=3) as conn:
        conn.sendall(b"hostile hello\n")
        return conn.recv(64).decode("utf-8", "replace")


def connect_unix(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(3)
        conn.connect(path)
        conn.sendall(b"GET /_ping HTTP/1.0\r\n\r\n")
        return conn.recv(256).decode("utf-8", "replace")


def listening_ports():
    ports = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in (read_bytes(name) or "").splitlines()[1:]:
            fields = line.split()
            if len(fields) > 3 and fields[3] == "0A":  # LISTEN
                ports.append(int(fields[1].rsplit(":", 1)[1], 16))
    return sorted(set(ports))


def main():
    port = int(hints()["port"])
    dev = [
        line.split(":")[0].strip() for line in (read_bytes("/proc/net/dev") or "").splitlines()[2:]
    ]
    return {
        "tcp": {host: try_call(connect_tcp, host, port) for host in ("127.0.0.1", "localhost")},
        "docker_socket": {path: try_call(connect_unix, path) for path in DOCKER_SOCKETS},
        "if_nameindex": [name for _, name in socket.if_nameindex()],
        "proc_net_dev": [d for d in dev if d],
        "sys_class_net": listdir("/sys/class/net"),
        "listening_ports": listening_ports(),
        "route": read_bytes("/proc/net/route"),
        "hostname": socket.gethostname(),
        "port": port,
        "uts": os.uname().nodename,
    }


if __name__ == "__main__":
    run(main)
