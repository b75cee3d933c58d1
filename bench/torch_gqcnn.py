# The PyTorch-CPU baseline for bench/train.ts and bench/infer.ts: the same GQ-CNN (built from our
# architecture JSON), batch and thread count, timed in segments the Node bench asks for, so that
# ours and PyTorch alternate in one run and share whatever load the machine has.
#
# Usage (driven by bench/torch-baseline.ts): /usr/bin/python3 bench/torch_gqcnn.py MODE ARCH_JSON BATCH THREADS
#   MODE train: momentum-SGD steps (lr 0.01, μ 0.9, L2 5e-4 on weights only), softmax cross-entropy, like GqcnnTrainer
#   MODE infer: P(success) of a batch of raw crops, normalisation and softmax included, like GqcnnPredictor.predict
# Protocol: prints one JSON line {"ready": …} after warm-up; then for each stdin line holding a number of
# seconds runs for at least that long (and 3 iterations) and prints {"itemsPerSecond", "iterations", "seconds",
# "cpuShare"}; exits on an empty line or end of input.
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def window(in_size, kernel, stride, padding):
    """Output size and (begin, end) padding, TensorFlow's SAME/VALID rules (as architecture.ts)."""
    if padding == 'VALID':
        return (in_size - kernel) // stride + 1, 0, 0
    out = -(-in_size // stride)
    total = max((out - 1) * stride + kernel - in_size, 0)
    return out, total // 2, total - total // 2


class ConvLayer(nn.Module):
    """Conv → ReLU → (LRN | batch norm) → (max-pool), with TF-style (possibly asymmetric) padding."""

    def __init__(self, spec, in_ch, h, w, lrn):
        super().__init__()
        k = spec['filterSize']
        self.spec = spec
        ch, pt, pb = window(h, k, 1, spec['padding'])
        cw, pl, pr = window(w, k, 1, spec['padding'])
        self.symmetric = pt == pb and pl == pr
        self.pads = (pl, pr, pt, pb)
        self.conv = nn.Conv2d(in_ch, spec['numFilters'], k, padding=(pt, pl) if self.symmetric else 0)
        nn.init.normal_(self.conv.weight, std=math.sqrt(2 / (in_ch * k * k)))
        nn.init.zeros_(self.conv.bias)
        self.norm = spec['norm']
        if self.norm == 'lrn':
            # TF's a / (bias + α·Σ a²)^β over 2r+1 channels equals PyTorch's with α·size (it divides by size)
            self.lrn_size = 2 * lrn['radius'] + 1
            self.lrn = (lrn['alpha'] * self.lrn_size, lrn['beta'], lrn['bias'])
        elif self.norm == 'batchnorm':
            self.bn = nn.BatchNorm2d(spec['numFilters'], eps=1e-5, momentum=0.1)
        self.pool = not (spec['poolSize'] == 1 and spec['poolStride'] == 1)
        oh, ow = ch, cw
        if self.pool:
            oh, qt, qb = window(ch, spec['poolSize'], spec['poolStride'], spec['padding'])
            ow, ql, qr = window(cw, spec['poolSize'], spec['poolStride'], spec['padding'])
            self.pool_pads = (ql, qr, qt, qb)
        self.out_shape = (spec['numFilters'], oh, ow)

    def forward(self, x):
        if not self.symmetric:
            x = F.pad(x, self.pads)
        y = F.relu(self.conv(x))
        if self.norm == 'lrn':
            alpha, beta, bias = self.lrn
            y = F.local_response_norm(y, self.lrn_size, alpha=alpha, beta=beta, k=bias)
        elif self.norm == 'batchnorm':
            y = self.bn(y)
        if self.pool:
            if any(self.pool_pads):
                y = F.pad(y, self.pool_pads, value=-math.inf)
            y = F.max_pool2d(y, self.spec['poolSize'], self.spec['poolStride'])
        return y


def dense(n_in, n_out, bias=True):
    layer = nn.Linear(n_in, n_out, bias=bias)
    nn.init.normal_(layer.weight, std=math.sqrt(2 / n_in))
    if bias:
        nn.init.zeros_(layer.bias)
    return layer


class Gqcnn(nn.Module):
    """Image stream (convs, fcs) and pose stream joined at the first merge layer, as onnx-builder.ts."""

    def __init__(self, arch):
        super().__init__()
        c, h, w = arch['imChannels'], arch['imHeight'], arch['imWidth']
        self.convs = nn.ModuleList()
        for spec in arch['conv']:
            layer = ConvLayer(spec, c, h, w, arch['lrn'])
            self.convs.append(layer)
            c, h, w = layer.out_shape
        d = c * h * w
        self.fcs = nn.ModuleList()
        for n in arch['fc']:
            self.fcs.append(dense(d, n))
            d = n
        self.pose = dense(arch['poseDim'], arch['poseFc'])
        m0 = arch['mergeFc'][0]
        self.merge_im = dense(d, m0)
        self.merge_pose = dense(arch['poseFc'], m0, bias=False)
        self.merges = nn.ModuleList()
        d = m0
        for n in arch['mergeFc'][1:]:
            self.merges.append(dense(d, n))
            d = n
        self.out = dense(d, arch['outputs'])

    def forward(self, im, pose):
        x = im
        for layer in self.convs:
            x = layer(x)
        h = torch.flatten(x, 1)
        for fc in self.fcs:
            h = F.relu(fc(h))
        ap = F.relu(self.pose(pose))
        m = F.relu(self.merge_im(h) + self.merge_pose(ap))
        for fc in self.merges:
            m = F.relu(fc(m))
        return self.out(m)


def main():
    mode, arch_json, batch, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    arch = json.loads(arch_json)
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    net = Gqcnn(arch)
    c, h, w, pd = arch['imChannels'], arch['imHeight'], arch['imWidth'], arch['poseDim']
    depth_sub = arch.get('inputDepthMode') == 'im_depth_sub'

    if mode == 'train':
        im = torch.rand(batch, c, h, w) * 2 - 1
        pose = torch.rand(batch, pd) * 2 - 1
        labels = (torch.rand(batch) < 0.3).long()
        weights = [p for n, p in net.named_parameters() if n.endswith('weight') and p.dim() > 1]
        others = [p for n, p in net.named_parameters() if not (n.endswith('weight') and p.dim() > 1)]
        opt = torch.optim.SGD(
            [{'params': weights, 'weight_decay': 5e-4}, {'params': others, 'weight_decay': 0.0}], lr=0.01, momentum=0.9
        )
        net.train()

        def iteration():
            opt.zero_grad(set_to_none=True)
            logits = net(im, pose)
            losses = F.cross_entropy(logits, labels, reduction='none')
            losses.mean().backward()
            opt.step()
            # what the trainer hands back each step: loss, per-datapoint losses, probabilities
            return losses.detach(), torch.softmax(logits.detach(), 1)

    elif mode == 'infer':
        crops = torch.rand(batch, c, h, w) * 0.05 + 0.65
        depths = torch.rand(batch, pd) * 0.1 + 0.6
        im_mean, im_std = 0.7, 0.03
        net.eval()

        def iteration():
            with torch.inference_mode():
                x = crops - depths[:, :1].reshape(-1, 1, 1, 1) if depth_sub else crops
                x = (x - im_mean) / im_std
                return torch.softmax(net(x, depths), 1)[:, 1].numpy().copy()

    else:
        raise SystemExit(f'mode must be train or infer, got {mode}')

    for _ in range(2):
        iteration()
    print(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            break
        seconds = float(line)
        n = 0
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds or n < 3:
            iteration()
            n += 1
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        print(
            json.dumps(
                {
                    'itemsPerSecond': n * batch / wall,
                    'iterations': n,
                    'seconds': wall,
                    'cpuShare': cpu / wall / threads,
                }
            ),
            flush=True,
        )


if __name__ == '__main__':
    main()
