"""PyTorch CPU on the benchmark's models. Usage: python3 torch_bench.py <model> <threads> <seconds>"""
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn

model_name, threads, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)


class LSTMNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 128, batch_first=True)
        self.out = nn.Linear(128, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(h[:, -1])


if model_name == "mlp":
    batch, net = 128, nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    x, y, loss_fn = torch.rand(batch, 784), torch.randint(0, 10, (batch,)), nn.CrossEntropyLoss()
elif model_name == "cnn":
    batch = 64
    net = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    x, y, loss_fn = torch.rand(batch, 1, 28, 28), torch.randint(0, 10, (batch,)), nn.CrossEntropyLoss()
else:
    batch, net = 64, LSTMNet()
    x, y, loss_fn = torch.rand(batch, 50, 32), torch.rand(batch, 1), nn.MSELoss()

opt = torch.optim.Adam(net.parameters(), lr=1e-3)


def step():
    opt.zero_grad()
    loss = loss_fn(net(x), y)
    loss.backward()
    opt.step()


step()
steps, t0 = 0, time.perf_counter()
while time.perf_counter() - t0 < seconds or steps < 1:
    step()
    steps += 1
dt = time.perf_counter() - t0
print(json.dumps({
    "runner": "pytorch", "model": model_name, "threads": threads, "batch": batch,
    "samplesPerSec": steps * batch / dt, "steps": steps,
    "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    # Linear and LSTM go through BLAS: Debian's torch uses whatever libblas.so.3 points at (the
    # reference BLAS unless OpenBLAS is installed), which decides those models' speed.
    "blas": os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"),
}))
