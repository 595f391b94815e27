"""Console latency on a large store, as a person sees it: time from starting `anchordesk` in
tmux to the devices screen, and from typing a filter to the filtered count on screen.

Usage (from the repository root, after `swift build -c release` and
`.build/release/anchordesk init --estate 1000000 --store /tmp/tui1m`):
    python3 Benchmarks/tui-latency.py [BINARY] [STORE]
The figures include tmux's own latency and the polling interval (about 5 ms)."""
import subprocess, time, sys
B = sys.argv[1] if len(sys.argv) > 1 else ".build/release/anchordesk"
S = sys.argv[2] if len(sys.argv) > 2 else "/tmp/tui1m"
sock = "anchordesk-measure"
def tmux(*a): return subprocess.run(["tmux","-L",sock]+list(a),capture_output=True,text=True).stdout
subprocess.run(["tmux","-L",sock,"kill-server"],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
def wait_for(text, timeout=30):
    start=time.time()
    while time.time()-start<timeout:
        if text in tmux("capture-pane","-p","-t","m"): return time.time()
        time.sleep(0.005)
    return None
results=[]
for run in range(3):
    t0=time.time()
    subprocess.run(["tmux","-L",sock,"new-session","-d","-s","m","-x","100","-y","30",f"{B} --store {S}"],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
    t1=wait_for("of 1000000 devices")
    first=t1-t0
    time.sleep(2)
    tmux("send-keys","-t","m","/","no=cadent supplier=heron-energy","Enter")
    t2=time.time()
    # wait for a count that is not the full total
    t3=None
    start=time.time()
    while time.time()-start<20:
        screen=tmux("capture-pane","-p","-t","m")
        if "of 1000000 devices" in screen and " 1000000 of 1000000" not in screen:
            t3=time.time();break
        time.sleep(0.002)
    line=[l for l in tmux("capture-pane","-p","-t","m").splitlines() if "of 1000000" in l]
    results.append((first, (t3-t2) if t3 else None, line[:1]))
    subprocess.run(["tmux","-L",sock,"kill-server"],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
    time.sleep(0.3)
for r in results: print("first screen %.3f s, filter (type+render) %s s, %s"%(r[0], "%.3f"%r[1] if r[1] else "?", r[2]))
