"""PyTorch reference for bench/run.ts: the lesson's networks, batch sizes and loop, on the CPU.

Run with Debian's interpreter (apt-get install -y python3-torch): /usr/bin/python3 bench/torch_ref.py [--json]
Measured like bench/measure.ts: one shuffled gather per epoch, contiguous batch slices, Adam, the
loss read back every batch, warm-up excluded, median of --reps epochs. --serve answers run.ts's
requests (bench/protocol.ts) on stdin/stdout so that its epochs interleave with tfjs's.
"""

import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn


def housing():
    return nn.Sequential(nn.Linear(8, 24), nn.ReLU(), nn.Linear(24, 12), nn.ReLU(), nn.Linear(12, 6), nn.ReLU(), nn.Linear(6, 1))


def wine():
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 1), nn.Sigmoid())


class ConvNet(nn.Module):
    """The lesson's CIFAR-10 network."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(64, 128, kernel_size=3, stride=1, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Linear(128 * 9 * 9, 512), nn.ReLU(), nn.Linear(512, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def regression_data(n, features):
    x = torch.rand(n, features) * 4 - 2
    return x, (x[:, :1] * 0.7 - x[:, 1:2] * 0.3 + 2)


def binary_data(n, features):
    x = torch.rand(n, features) * 4 - 2
    return x, ((x[:, :1] + x[:, 2:3]) > 0).float()


def image_data(n):
    return torch.rand(n, 3, 32, 32) * 2 - 1, torch.randint(0, 10, (n,))


NETWORKS = {
    "housing-b10": (housing, nn.MSELoss, 10, lambda n: regression_data(n, 8)),
    "housing-b64": (housing, nn.MSELoss, 64, lambda n: regression_data(n, 8)),
    "wine-b64": (wine, nn.BCELoss, 64, lambda n: binary_data(n, 12)),
    "cifar-b32": (ConvNet, nn.CrossEntropyLoss, 32, image_data),
}


def clamp_steps(seconds, step_seconds, max_steps):
    return max(1, min(max_steps, round(seconds / max(step_seconds, 1e-6))))


def warm_up(step, seconds):
    """Runs step for about half an epoch (allocator and caches settle); returns its time per call."""
    started = time.perf_counter()
    step()
    first = time.perf_counter() - started
    if first >= seconds / 2:
        return first
    started = time.perf_counter()
    calls = 0
    while calls < 2 or (time.perf_counter() - started < seconds / 2 and calls < 200):
        step()
        calls += 1
    return (time.perf_counter() - started) / calls


class Session:
    """One network, warmed up; each call times one epoch (mirrors NetworkSession in measure.ts)."""

    def __init__(self, name, seconds, max_steps):
        build, loss_class, batch, make_data = NETWORKS[name]
        torch.manual_seed(0)
        self.model = build()
        self.loss_fn = loss_class()
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.batch = batch
        wx, wy = make_data(batch)
        self.train_steps = clamp_steps(seconds, warm_up(lambda: self._train_step(wx, wy), seconds), max_steps)
        self.x, self.y = make_data(self.train_steps * batch)
        self.infer_steps = clamp_steps(seconds, warm_up(lambda: self._infer_step(0), seconds), max_steps * 4)

    def _train_step(self, xb, yb):
        self.model.train()
        self.opt.zero_grad()
        loss = self.loss_fn(self.model(xb), yb)
        loss.backward()
        self.opt.step()
        value = loss.item()
        if value != value:
            raise RuntimeError("the loss became NaN")

    def _infer_step(self, s):
        self.model.eval()
        at = (s % self.train_steps) * self.batch
        with torch.no_grad():
            self.model(self.x[at : at + self.batch]).sum().item()

    def train_epoch(self):
        b = self.batch
        n = self.train_steps * b
        started = time.perf_counter()
        perm = torch.randperm(n)
        xe, ye = self.x[perm], self.y[perm]
        for s in range(self.train_steps):
            self._train_step(xe[s * b : (s + 1) * b], ye[s * b : (s + 1) * b])
        return n / (time.perf_counter() - started)

    def infer_epoch(self):
        started = time.perf_counter()
        for s in range(self.infer_steps):
            self._infer_step(s)
        return self.infer_steps * self.batch / (time.perf_counter() - started)


def serve(threads):
    """Answers bench/run.ts's requests (bench/protocol.ts), one JSON object per line."""

    def reply(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    reply({"ok": True, "ready": True, "detail": f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads"})
    session = None
    for line in sys.stdin:
        req = json.loads(line)
        try:
            if req["cmd"] == "prepare":
                session = Session(req["network"], req["seconds"], req["maxSteps"])
                reply({"ok": True, "trainSteps": session.train_steps, "inferSteps": session.infer_steps})
            elif req["cmd"] == "train":
                reply({"ok": True, "samplesPerSec": session.train_epoch()})
            elif req["cmd"] == "infer":
                reply({"ok": True, "samplesPerSec": session.infer_epoch()})
            elif req["cmd"] == "release":
                session = None
                reply({"ok": True, "released": True})
            else:
                reply({"ok": False, "error": f"unknown command {req['cmd']}"})
        except Exception as e:  # reported to run.ts, which shows it in the table
            reply({"ok": False, "error": str(e)})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--json", action="store_true")
    p.add_argument("--serve", action="store_true", help="answer bench/run.ts on stdin/stdout")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--networks", default=",".join(NETWORKS))
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--seconds", type=float, default=2.0)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.serve:
        serve(args.threads)
        return

    results = []
    for name in args.networks.split(","):
        session = Session(name, args.seconds, 400)
        train = statistics.median(session.train_epoch() for _ in range(args.reps))
        infer = statistics.median(session.infer_epoch() for _ in range(args.reps))
        results.append({"network": name, "batch": NETWORKS[name][2], "train": train, "infer": infer})

    if args.json:
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))
    else:
        for r in results:
            print(f"{r['network']:12s} batch {r['batch']:3d}  train {r['train']:10.0f}/s  infer {r['infer']:10.0f}/s")


if __name__ == "__main__":
    main()
