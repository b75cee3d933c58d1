// Distance from the origin to the boundary of a convex hull by expanding-polytope search (as EPA for
// penetration depth): keep a convex polytope P inside the hull, built from some of the points; take P's
// facet nearest the origin (signed distance d); if no point lies beyond that facet's hyperplane, the
// hyperplane supports the whole hull, so the distance is ≤ d, while P ⊂ hull gives ≥ d, hence = d exactly.
// Otherwise the farthest point beyond it is added with a beneath–beyond hull update and the search
// repeats. Each step adds a new point, so it ends after at most (count − dim − 1) additions, usually long
// before the full hull exists.
import { unitNormal } from '../../core/linear-algebra.js';

/** Below this share of the point scale, points count as coplanar with a facet and distances as zero. */
export const REL_TOL = 1e-11;
/** A set thinner than this share of its scale in some direction is treated as lower-dimensional. */
const RANK_TOL = 1e-10;

/** The search with its scratch space (grown on demand, never per call). */
export class ExpandingPolytope {
  private dim = 0;
  // Polytope facets: vertex slot k of facet f lies opposite the ridge shared with neighbour fn[f·dim + k].
  private cap = 0;
  private fv = new Int32Array(0);
  private fn = new Int32Array(0);
  private fu = new Float64Array(0);
  private fd = new Float64Array(0);
  private alive = new Uint8Array(0);
  private visMark = new Int32Array(0);
  private nonMark = new Int32Array(0);
  private freeList = new Int32Array(0);
  private stack = new Int32Array(0);
  private visible = new Int32Array(0);
  private facetCount = 0;
  private freeTop = 0;
  private epoch = 0;
  // Horizon ridges found while adding a point.
  private hzCap = 0;
  private hzVerts = new Int32Array(0);
  private hzNbr = new Int32Array(0);
  private hzNbrSlot = new Int32Array(0);
  private hzSlot = new Int32Array(0);
  // Hash of (dim − 2)-faces used to stitch the new facets to each other.
  private hashKey = new Float64Array(0);
  private hashVal = new Int32Array(0);
  private hashStamp = new Int32Array(0);
  private hashEpoch = 0;
  // Householder QR of a facet's edge vectors, interior reference point, initial simplex.
  private qr = new Float64Array(0);
  private beta = new Float64Array(0);
  private normal = new Float64Array(0);
  private interior = new Float64Array(0);
  private residual = new Float64Array(0);
  private simplex = new Int32Array(0);
  private keyScratch = new Int32Array(0);
  /** Set when the search could not keep a consistent polytope (numerical trouble); callers fall back. */
  failed = false;

  private setDim(dim: number, count: number): void {
    if (dim !== this.dim) {
      this.dim = dim;
      this.qr = new Float64Array(dim * dim);
      this.beta = new Float64Array(dim);
      this.normal = new Float64Array(dim);
      this.interior = new Float64Array(dim);
      this.simplex = new Int32Array(dim + 1);
      this.keyScratch = new Int32Array(dim);
      this.cap = 0;
      this.hzCap = 0;
    }
    if (this.residual.length < count * dim) this.residual = new Float64Array(count * dim);
    if (this.cap === 0) this.growFacets(256);
    if (this.hzCap === 0) this.growHorizon(128);
  }

  private growFacets(cap: number): void {
    const d = this.dim;
    const fv = new Int32Array(cap * d),
      fn = new Int32Array(cap * d),
      fu = new Float64Array(cap * d);
    const fd = new Float64Array(cap),
      alive = new Uint8Array(cap);
    const visMark = new Int32Array(cap),
      nonMark = new Int32Array(cap);
    if (this.cap > 0) {
      fv.set(this.fv);
      fn.set(this.fn);
      fu.set(this.fu);
      fd.set(this.fd);
      alive.set(this.alive);
      visMark.set(this.visMark);
      nonMark.set(this.nonMark);
      const fl = new Int32Array(cap);
      fl.set(this.freeList);
      this.freeList = fl;
    } else {
      this.freeList = new Int32Array(cap);
    }
    this.fv = fv;
    this.fn = fn;
    this.fu = fu;
    this.fd = fd;
    this.alive = alive;
    this.visMark = visMark;
    this.nonMark = nonMark;
    const stack = new Int32Array(cap),
      visible = new Int32Array(cap);
    if (this.cap > 0) {
      stack.set(this.stack);
      visible.set(this.visible);
    }
    this.stack = stack;
    this.visible = visible;
    this.cap = cap;
  }

  private growHorizon(cap: number): void {
    const d = this.dim;
    const hv = new Int32Array(cap * d),
      hn = new Int32Array(cap),
      hs = new Int32Array(cap),
      hk = new Int32Array(cap);
    if (this.hzCap > 0) {
      hv.set(this.hzVerts);
      hn.set(this.hzNbr);
      hs.set(this.hzNbrSlot);
      hk.set(this.hzSlot);
    }
    this.hzVerts = hv;
    this.hzNbr = hn;
    this.hzNbrSlot = hs;
    this.hzSlot = hk;
    this.hzCap = cap;
    let size = 1;
    while (size < 4 * cap * d) size <<= 1;
    this.hashKey = new Float64Array(size);
    this.hashVal = new Int32Array(size);
    this.hashStamp = new Int32Array(size);
    this.hashEpoch = 0;
  }

  /**
   * Signed distance from the origin to the boundary of conv(points): positive (= ε) when the origin is
   * interior, ≤ 0 when it is outside or on the boundary, 0 when the hull is lower-dimensional.
   */
  boundaryDistance(points: Float64Array, count: number, dim: number): number {
    this.failed = false;
    if (count < dim + 1) return 0;
    this.setDim(dim, count);
    let s2 = 0;
    for (let j = 0; j < count * dim; j += dim) {
      let q = 0;
      for (let i = 0; i < dim; i++) q += points[j + i] * points[j + i];
      if (q > s2) s2 = q;
    }
    const scale = Math.sqrt(s2);
    if (!(scale > 0)) return 0;
    const tol = REL_TOL * scale;
    if (!this.initialSimplex(points, count, dim, RANK_TOL * scale)) return 0;
    for (let iter = 0; iter <= count + 2; iter++) {
      let f = -1,
        d = Infinity;
      for (let g = 0; g < this.facetCount; g++)
        if (this.alive[g] && this.fd[g] < d) {
          d = this.fd[g];
          f = g;
        }
      const uo = f * dim;
      let h = -Infinity,
        jbest = -1;
      for (let j = 0; j < count; j++) {
        let s = 0;
        for (let i = 0; i < dim; i++) s += this.fu[uo + i] * points[j * dim + i];
        if (s > h) {
          h = s;
          jbest = j;
        }
      }
      if (h - d <= tol) return d;
      if (!this.addPoint(f, jbest, points, count, dim, tol)) {
        this.failed = true;
        return d;
      }
    }
    // Unreachable in exact arithmetic (each round adds a new wrench); P ⊂ hull keeps the answer a lower bound.
    this.failed = true;
    let d = Infinity;
    for (let g = 0; g < this.facetCount; g++) if (this.alive[g] && this.fd[g] < d) d = this.fd[g];
    return d;
  }

  /** Greedy well-shaped starting simplex; false when the points span fewer than dim dimensions. */
  private initialSimplex(points: Float64Array, count: number, dim: number, rankTol: number): boolean {
    const R = this.residual,
      Q = this.qr,
      sim = this.simplex;
    let i0 = 0,
      far = -1;
    for (let j = 0; j < count; j++) {
      let q = 0;
      for (let i = 0; i < dim; i++) q += points[j * dim + i] * points[j * dim + i];
      if (q > far) {
        far = q;
        i0 = j;
      }
    }
    sim[0] = i0;
    for (let j = 0; j < count; j++)
      for (let i = 0; i < dim; i++) R[j * dim + i] = points[j * dim + i] - points[i0 * dim + i];
    for (let r = 1; r <= dim; r++) {
      let jb = -1,
        nb = 0;
      for (let j = 0; j < count; j++) {
        let q = 0;
        for (let i = 0; i < dim; i++) q += R[j * dim + i] * R[j * dim + i];
        if (q > nb) {
          nb = q;
          jb = j;
        }
      }
      const len = Math.sqrt(nb);
      if (jb < 0 || !(len > rankTol)) return false;
      sim[r] = jb;
      const qo = (r - 1) * dim;
      for (let i = 0; i < dim; i++) Q[qo + i] = R[jb * dim + i] / len;
      // Re-orthogonalise the new direction against the earlier ones (Gram–Schmidt twice is enough).
      for (let c = 0; c < r - 1; c++) {
        let p = 0;
        for (let i = 0; i < dim; i++) p += Q[qo + i] * Q[c * dim + i];
        for (let i = 0; i < dim; i++) Q[qo + i] -= p * Q[c * dim + i];
      }
      let qn = 0;
      for (let i = 0; i < dim; i++) qn += Q[qo + i] * Q[qo + i];
      qn = Math.sqrt(qn);
      for (let i = 0; i < dim; i++) Q[qo + i] /= qn;
      for (let j = 0; j < count; j++) {
        let p = 0;
        for (let i = 0; i < dim; i++) p += R[j * dim + i] * Q[qo + i];
        for (let i = 0; i < dim; i++) R[j * dim + i] -= p * Q[qo + i];
      }
    }
    const c = this.interior;
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let r = 0; r <= dim; r++) s += points[sim[r] * dim + i];
      c[i] = s / (dim + 1);
    }
    this.facetCount = 0;
    this.freeTop = 0;
    if (this.cap < 4 * (dim + 1)) this.growFacets(4 * (dim + 1));
    for (let f = 0; f <= dim; f++) {
      let slot = 0;
      for (let r = 0; r <= dim; r++) {
        if (r === f) continue;
        this.fv[f * dim + slot] = sim[r];
        this.fn[f * dim + slot] = r;
        slot++;
      }
      this.alive[f] = 1;
      this.visMark[f] = 0;
      this.nonMark[f] = 0;
      this.computePlane(f, points, dim);
    }
    this.facetCount = dim + 1;
    return true;
  }

  /** Unit outward normal and offset of facet f's hyperplane, via Householder QR of its edge vectors. */
  private computePlane(f: number, points: Float64Array, dim: number): void {
    const E = this.qr,
      beta = this.beta,
      u = this.normal,
      fv = this.fv;
    const o0 = fv[f * dim] * dim;
    const m = dim - 1;
    for (let c = 0; c < m; c++) {
      const oc = fv[f * dim + c + 1] * dim;
      for (let r = 0; r < dim; r++) E[c * dim + r] = points[oc + r] - points[o0 + r];
    }
    unitNormal(E, dim, u, beta);
    let d = 0,
      ci = 0;
    for (let r = 0; r < dim; r++) ci += u[r] * this.interior[r];
    for (let v = 0; v < dim; v++) {
      const ov = fv[f * dim + v] * dim;
      let s = 0;
      for (let r = 0; r < dim; r++) s += u[r] * points[ov + r];
      d += s;
    }
    d /= dim;
    // The interior point of the starting simplex stays strictly inside the growing polytope, so it orients every facet.
    const sgn = ci > d ? -1 : 1;
    const fo = f * dim;
    for (let r = 0; r < dim; r++) this.fu[fo + r] = sgn * u[r];
    this.fd[f] = sgn * d;
  }

  private allocFacet(): number {
    if (this.freeTop > 0) return this.freeList[--this.freeTop];
    if (this.facetCount >= this.cap) this.growFacets(this.cap * 2);
    return this.facetCount++;
  }

  /** Beneath–beyond update: replace the facets point p sees (starting from facet f0) by cones from p to the horizon. */
  private addPoint(f0: number, p: number, points: Float64Array, count: number, dim: number, tol: number): boolean {
    const epoch = ++this.epoch;
    if (epoch > 0x3fffffff) {
      this.visMark.fill(0);
      this.nonMark.fill(0);
      this.epoch = 1;
      return this.addPoint(f0, p, points, count, dim, tol);
    }
    const po = p * dim;
    let top = 0,
      nVis = 0,
      nHz = 0;
    this.stack[top++] = f0;
    this.visMark[f0] = epoch;
    while (top > 0) {
      const g = this.stack[--top];
      this.visible[nVis++] = g;
      for (let k = 0; k < dim; k++) {
        const h = this.fn[g * dim + k];
        if (this.visMark[h] === epoch) continue;
        let seen = this.nonMark[h] === epoch;
        if (!seen) {
          let s = -this.fd[h];
          const ho = h * dim;
          for (let i = 0; i < dim; i++) s += this.fu[ho + i] * points[po + i];
          if (s > tol) {
            this.visMark[h] = epoch;
            this.stack[top++] = h;
            continue;
          }
          this.nonMark[h] = epoch;
          seen = true;
        }
        // Ridge (g minus slot k) is on the horizon: record the new facet it spawns before g's slot is recycled.
        if (nHz >= this.hzCap) this.growHorizon(this.hzCap * 2);
        const hb = nHz * dim;
        for (let i = 0; i < dim; i++) this.hzVerts[hb + i] = this.fv[g * dim + i];
        this.hzVerts[hb + k] = p;
        this.hzSlot[nHz] = k;
        this.hzNbr[nHz] = h;
        let hs = -1;
        for (let i = 0; i < dim; i++) if (this.fn[h * dim + i] === g) hs = i;
        if (hs < 0) return false;
        this.hzNbrSlot[nHz] = hs;
        nHz++;
      }
    }
    // New facets may only reuse slots freed in earlier rounds: neighbour links still name this round's dead facets.
    const hashSize = this.hashKey.length;
    if (hashSize < 2 * nHz * dim) this.growHorizon(Math.max(this.hzCap, nHz) * 2);
    const mask = this.hashKey.length - 1;
    const hEpoch = ++this.hashEpoch;
    const key = this.keyScratch;
    let pending = 0;
    for (let e = 0; e < nHz; e++) {
      const x = this.allocFacet();
      const xo = x * dim;
      const k = this.hzSlot[e];
      for (let i = 0; i < dim; i++) {
        this.fv[xo + i] = this.hzVerts[e * dim + i];
        this.fn[xo + i] = -1;
      }
      this.alive[x] = 1;
      this.visMark[x] = 0;
      this.nonMark[x] = 0;
      const h = this.hzNbr[e];
      this.fn[xo + k] = h;
      this.fn[h * dim + this.hzNbrSlot[e]] = x;
      this.computePlane(x, points, dim);
      for (let j = 0; j < dim; j++) {
        if (j === k) continue;
        // Key: the dim − 2 horizon vertices other than slot j, sorted, packed base `count` (exact below 2^53).
        let nk = 0;
        for (let i = 0; i < dim; i++) {
          if (i === j || i === k) continue;
          const v = this.fv[xo + i];
          let t = nk++;
          while (t > 0 && key[t - 1] > v) {
            key[t] = key[t - 1];
            t--;
          }
          key[t] = v;
        }
        let kv = 0;
        for (let i = 0; i < nk; i++) kv = kv * count + key[i];
        const lo = kv % 4294967296;
        let hsh = Math.imul((lo | 0) ^ Math.imul(((kv - lo) / 4294967296) | 0, 0x27d4eb2d), 0x9e3779b1);
        hsh ^= hsh >>> 15;
        let slot = hsh & mask;
        for (;;) {
          if (this.hashStamp[slot] !== hEpoch) {
            this.hashStamp[slot] = hEpoch;
            this.hashKey[slot] = kv;
            this.hashVal[slot] = xo + j;
            pending++;
            break;
          }
          if (this.hashKey[slot] === kv && this.hashVal[slot] >= 0) {
            const other = this.hashVal[slot];
            this.fn[xo + j] = (other / dim) | 0;
            this.fn[other] = x;
            this.hashVal[slot] = -1;
            pending--;
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
    }
    // Dead facets join the free list only now that every link to them has been replaced.
    for (let i = 0; i < nVis; i++) {
      const g = this.visible[i];
      this.alive[g] = 0;
      this.freeList[this.freeTop++] = g;
    }
    return pending === 0;
  }
}
