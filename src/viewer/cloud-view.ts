// The 3-D view: the depth image as a point cloud in the camera frame and each planned grasp as a parallel-jaw
// gripper (or a suction cup on its shaft) at its 6-DoF pose, coloured by q; orbit controls, and hovering a gripper
// reports which grasp it is.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { depthColour, depthRange } from './colormap.js';
import type { Camera } from './inputs.js';
import type { PlannedGrasp as Grasp } from '../policy/plan-types.js';

/** q in [0, 1] from red through yellow to green. */
export function qColour(q: number): THREE.Color {
  return new THREE.Color().setHSL((Math.min(1, Math.max(0, q)) * 120) / 360, 0.85, 0.5);
}

export class CloudView {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera: THREE.PerspectiveCamera;
  private readonly controls: OrbitControls;
  /** Camera frame (x right, y down, z forward) turned into three.js's (y up, looking down −z). */
  private readonly world = new THREE.Group();
  private cloud: THREE.Points | null = null;
  private grippers: THREE.Group[] = [];
  private readonly raycaster = new THREE.Raycaster();

  constructor(
    private readonly container: HTMLElement,
    onHover: (index: number | null, event: MouseEvent) => void,
  ) {
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(window.devicePixelRatio);
    this.renderer.setSize(container.clientWidth, container.clientHeight);
    this.renderer.setClearColor(0x20242e);
    container.appendChild(this.renderer.domElement);
    this.camera = new THREE.PerspectiveCamera(50, container.clientWidth / container.clientHeight, 0.01, 20);
    this.world.rotation.x = Math.PI;
    this.scene.add(this.world, new THREE.AmbientLight(0xffffff, 1.2));
    const light = new THREE.DirectionalLight(0xffffff, 2);
    light.position.set(0.5, 1, 1);
    this.scene.add(light);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.addEventListener('change', () => this.render());
    this.renderer.domElement.addEventListener('mousemove', (e) => onHover(this.pick(e), e));
    this.renderer.domElement.addEventListener('mouseleave', (e) => onHover(null, e));
    this.render();
  }

  /** The cloud of every second pixel (plenty to see the shape, a quarter of the points). */
  setCloud(depth: DepthImage, k: Camera, mask: Mask | null): void {
    if (this.cloud) {
      this.world.remove(this.cloud);
      this.cloud.geometry.dispose();
    }
    const range = depthRange(depth.data);
    const positions: number[] = [];
    const colours: number[] = [];
    for (let v = 0; v < depth.height; v += 2)
      for (let u = 0; u < depth.width; u += 2) {
        const z = depth.data[v * depth.width + u];
        if (!(z > 0)) continue;
        positions.push(((u - k.cx) * z) / k.fx, ((v - k.cy) * z) / k.fy, z);
        const [r, g, b] = depthColour(z, range);
        const dim = mask && !mask.data[v * depth.width + u] ? 0.55 : 1;
        colours.push((r / 255) * dim, (g / 255) * dim, (b / 255) * dim);
      }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.Float32BufferAttribute(positions, 3));
    geometry.setAttribute('color', new THREE.Float32BufferAttribute(colours, 3));
    this.cloud = new THREE.Points(geometry, new THREE.PointsMaterial({ size: 0.003, vertexColors: true }));
    this.world.add(this.cloud);
    // Start near the sensor, turned 30° about the scene's middle so that depth reads as depth.
    const mid = (range[0] + range[1]) / 2;
    this.camera.position.set(0, mid * Math.sin(Math.PI / 6), -mid + mid * Math.cos(Math.PI / 6));
    this.controls.target.set(0, 0, -mid);
    this.controls.update();
    this.render();
  }

  setGrasps(grasps: Grasp[]): void {
    for (const g of this.grippers) {
      this.world.remove(g);
      g.traverse((o) => {
        if (o instanceof THREE.Mesh) o.geometry.dispose();
        if (o instanceof THREE.Sprite) o.material.map?.dispose();
      });
    }
    this.grippers = grasps.map((g, i) => {
      const gripper = g.suction
        ? suctionCupModel(g.suction.cupRadius, qColour(g.q), i === 0)
        : gripperModel(g.width, qColour(g.q), i === 0);
      gripper.matrixAutoUpdate = false;
      // pose is row-major; fromArray reads column-major, so transpose.
      gripper.matrix.fromArray(g.pose).transpose();
      gripper.userData.index = i;
      gripper.add(qLabel(`#${i + 1} q ${g.q.toFixed(2)}`));
      this.world.add(gripper);
      return gripper;
    });
    this.render();
  }

  highlight(index: number | null): void {
    this.grippers.forEach((g, i) =>
      g.traverse((o) => {
        if (o instanceof THREE.Mesh)
          (o.material as THREE.MeshStandardMaterial).emissiveIntensity = i === index ? 0.6 : 0;
      }),
    );
    this.render();
  }

  private pick(e: MouseEvent): number | null {
    const rect = this.renderer.domElement.getBoundingClientRect();
    const pointer = new THREE.Vector2(
      ((e.clientX - rect.left) / rect.width) * 2 - 1,
      -((e.clientY - rect.top) / rect.height) * 2 + 1,
    );
    this.raycaster.setFromCamera(pointer, this.camera);
    const hit = this.raycaster.intersectObjects(this.grippers, true)[0];
    let o: THREE.Object3D | null = hit?.object ?? null;
    while (o && o.userData.index === undefined) o = o.parent;
    return o ? (o.userData.index as number) : null;
  }

  render(): void {
    this.renderer.render(this.scene, this.camera);
  }
}

/** The grippers' material: q's colour, solid for the best grasp, and an emissive glow for highlighting. */
function gripperMaterial(colour: THREE.Color, best: boolean): THREE.MeshStandardMaterial {
  return new THREE.MeshStandardMaterial({
    color: colour,
    emissive: 0xffffff,
    emissiveIntensity: 0,
    transparent: !best,
    opacity: best ? 1 : 0.7,
  });
}

/**
 * A suction cup in the grasp frame (origin at the target, z = the approach): the cup's rim of the real radius on the
 * surface, its bellows narrowing 15 mm back along −z (toward the camera), then the shaft.
 */
function suctionCupModel(radius: number, colour: THREE.Color, best: boolean): THREE.Group {
  const material = gripperMaterial(colour, best);
  // Three's cylinders run along y; turned a quarter about x they run along z.
  const along = (top: number, bottom: number, length: number, z: number) => {
    const m = new THREE.Mesh(new THREE.CylinderGeometry(top, bottom, length, 24, 1, true), material);
    m.rotation.x = Math.PI / 2;
    m.position.set(0, 0, z);
    return m;
  };
  material.side = THREE.DoubleSide;
  const cup = 0.015,
    shaft = 0.06;
  const group = new THREE.Group();
  group.add(along(radius, radius * 0.4, cup, -cup / 2), along(0.004, 0.004, shaft, -cup - shaft / 2));
  return group;
}

/**
 * A parallel-jaw gripper in the grasp frame: jaws along ±y at half the opening, fingers along the approach
 * axis z ending just past the grasp point, then the palm and a wrist toward the camera.
 */
function gripperModel(width: number, colour: THREE.Color, best: boolean): THREE.Group {
  const material = gripperMaterial(colour, best);
  const box = (sx: number, sy: number, sz: number, x: number, y: number, z: number) => {
    const m = new THREE.Mesh(new THREE.BoxGeometry(sx, sy, sz), material);
    m.position.set(x, y, z);
    return m;
  };
  const finger = 0.005,
    length = 0.045,
    half = width / 2 + finger / 2;
  const group = new THREE.Group();
  group.add(
    box(0.012, finger, length, 0, half, 0.01 - length / 2),
    box(0.012, finger, length, 0, -half, 0.01 - length / 2),
    box(0.012, width + 2 * finger, 0.008, 0, 0, 0.01 - length - 0.004),
    box(0.01, 0.01, 0.06, 0, 0, 0.01 - length - 0.038),
  );
  return group;
}

/** The grasp's rank and q as a label that always faces the viewer, behind the wrist (toward the camera). */
function qLabel(text: string): THREE.Sprite {
  const canvas = document.createElement('canvas');
  canvas.width = 256;
  canvas.height = 64;
  const ctx = canvas.getContext('2d')!;
  ctx.font = 'bold 40px system-ui, sans-serif';
  ctx.lineWidth = 8;
  ctx.strokeStyle = '#000000';
  ctx.fillStyle = '#ffffff';
  ctx.strokeText(text, 8, 46);
  ctx.fillText(text, 8, 46);
  const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: new THREE.CanvasTexture(canvas), depthTest: false }));
  sprite.scale.set(0.06, 0.015, 1);
  sprite.position.set(0, 0, -0.11);
  return sprite;
}
