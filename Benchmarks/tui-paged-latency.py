"""The console on a PostgreSQL store too large to read whole, as a person meets it in tmux:
time from starting `anchordesk` to the first page, from `:ID` to a device's page (a device on
no page shown yet), from `P` to the post-commissioning report, and the console's peak memory.

Usage (from the repository root, after `swift build -c release`):
    PGPASSWORD=... python3 Benchmarks/tui-paged-latency.py BINARY STORE_URL DEVICE_ID [TIMEOUT_S]
BINARY runs from a fresh machine directory each time (`ANCHORDESK_PG_LOCAL`). A build that
reads the whole store behind its pages (its status line says "Reading all") refuses `:ID` and
`P` until that read is done: the script waits for it, and says how long it took. The figures
include tmux's own latency and the polling interval (about 10 ms)."""
import os, subprocess, sys, tempfile, time

binary, store, device = sys.argv[1], sys.argv[2], sys.argv[3]
limit = float(sys.argv[4]) if len(sys.argv) > 4 else 600
sock = "anchordesk-paged-measure"


def tmux(*words):
    return subprocess.run(["tmux", "-L", sock] + list(words), capture_output=True, text=True).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "m")


def wait_for(test, start, timeout=limit):
    """Seconds from `start` until `test(screen)` holds."""
    while time.time() - start < timeout:
        if test(screen()):
            return time.time() - start
        time.sleep(0.01)
    return None


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


subprocess.run(["tmux", "-L", sock, "kill-server"], stderr=subprocess.DEVNULL)
machine = tempfile.mkdtemp(prefix="anchordesk-paged-")
# PGPASSWORD reaches the console through the environment the new tmux server inherits from
# this process: on the command line it would stay in the server's arguments, shown by `ps` to
# every user of the machine for the whole run.
command = f"env LANG=C.UTF-8 ANCHORDESK_PG_LOCAL={machine} {binary} --store {store} --read-only"
start = time.time()
tmux("new-session", "-d", "-s", "m", "-x", "120", "-y", "40", command)
first = wait_for(lambda s: "shown of" in s, start)
pid = int(tmux("display", "-p", "-t", "m", "#{pane_pid}").strip())
# A build that reads the whole store behind the pages: until it has, the context line says how
# many are shown of how many match; after, how many of the store's devices the list shows.
whole = wait_for(lambda s: "shown of" not in s and " devices" in s, start) if "Reading all" in screen() else None
mark = time.time()
tmux("send-keys", "-t", "m", ":", device, "Enter")
# The device's page is up: the breadcrumb names it, and the status line says it was read.
device_page = wait_for(lambda s: f"Devices › {device}" in s and any(f"device {device}" in line for line in s.splitlines()[-4:]), mark)
tmux("send-keys", "-t", "m", "Escape")
time.sleep(0.5)
mark = time.time()
tmux("send-keys", "-t", "m", "P")
report = wait_for(lambda s: "Post-commissioning" in s and "building" not in s and "reading" not in s, mark)
final = screen()
rss = peak_rss_mib(pid)
tmux("send-keys", "-t", "m", "q")
time.sleep(0.5)
subprocess.run(["tmux", "-L", sock, "kill-server"], stderr=subprocess.DEVNULL)
local = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(machine) for name in names)
context = [line for line in final.splitlines() if "Post-commissioning" in line][:1]
print(f"{binary}: first page {first and round(first, 3)} s; whole store read behind it {whole and round(whole, 1)} s; :ID to the device's page {device_page and round(device_page, 3)} s; "
      f"P to the report {report and round(report, 1)} s; peak RSS {rss and round(rss)} MiB; "
      f"machine directory {local // (1 << 20)} MiB; {context}")
