// Seeded random numbers (every random stage takes a seed so the same seed gives identical output).
// Lives in the lowest stage so geometry, grasp, render and dataset can all share it.
import type { Mat3, Vec3 } from '../geometry/vector.js';
import { axisAngleToMat3 } from '../geometry/vector.js';

/** xoshiro128** with splitmix32 seeding: fast, 2^128 period, plenty for Monte-Carlo labels. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    let x = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5,
      lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller, the pair's second value is kept for the next call). */
  normal(mean = 0, sigma = 1): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return mean + sigma * v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u)),
      th = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(th);
    return mean + sigma * r * Math.cos(th);
  }

  /** Normal truncated to [lo, hi] by rejection (fine when the interval holds most of the mass). */
  truncatedNormal(mean: number, sigma: number, lo: number, hi: number): number {
    for (let i = 0; i < 1000; i++) {
      const v = this.normal(mean, sigma);
      if (v >= lo && v <= hi) return v;
    }
    return Math.min(hi, Math.max(lo, mean));
  }

  /** Gamma(shape k, scale θ) by Marsaglia–Tsang (k ≥ 1; boosted for k < 1). */
  gamma(shape: number, scale: number): number {
    if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(this.next() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3,
      c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /**
   * Poisson(λ) by Knuth's product of uniforms: exact, and λ + 1 draws on average, which is cheap for the small λ
   * it is used with (objects per heap). λ must be finite and ≥ 0; e^−λ underflows past λ ≈ 700.
   */
  poisson(lambda: number): number {
    const limit = Math.exp(-lambda);
    let k = 0,
      p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Isotropic Gaussian vector. */
  normalVec3(sigma: number): Vec3 {
    return [this.normal(0, sigma), this.normal(0, sigma), this.normal(0, sigma)];
  }

  /** Small random rotation: axis-angle with each component ~ N(0, sigma) (Dex-Net's rotation noise). */
  smallRotation(sigma: number): Mat3 {
    const w = this.normalVec3(sigma);
    const angle = Math.hypot(w[0], w[1], w[2]);
    if (angle === 0) return [1, 0, 0, 0, 1, 0, 0, 0, 1];
    return axisAngleToMat3(w, angle);
  }

  /** Uniformly random unit vector. */
  unitVec3(): Vec3 {
    const z = this.uniform(-1, 1),
      phi = this.uniform(0, 2 * Math.PI),
      r = Math.sqrt(1 - z * z);
    return [r * Math.cos(phi), r * Math.sin(phi), z];
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
