// The library's front door (`import … from 'dexnet-ts'`): the pieces a user plans, labels, generates, trains,
// evaluates and serves with. The evaluation runner, the Redis queue and the HTTP server load their heavy dependencies
// (MuJoCo, bullmq, fastify) on first call, so importing the library does not pay for what a caller never uses.
import type * as Evaluation from './evaluate/evaluation.js';
import type * as HeapDrop from './physics/heap-drop.js';
import type * as HeapSet from './physics/heap-set.js';
import type * as Generate from './dataset/generate.js';
import type * as Queue from './dataset/queue.js';
import type * as Server from './server/app.js';

export { UserInputError, NoValidGraspError } from './core/errors.js';

// Planning with a trained GQ-CNN (the bundled one or a folder from `dexnet train`).
export {
  plan,
  POLICIES,
  type PlanGripperKind,
  type PlanOptions,
  type PlanResult,
  type PlannedGrasp,
  type PolicyName,
} from './policy/plan.js';
export { suctionPlausibilityCheck, type SuctionPlausibilityOptions } from './policy/suction-plausibility.js';
export type { PlannedSuction, SuctionPlausibility } from './policy/plan-types.js';
export { PlanInputError } from './policy/plan-io.js';
export { GqcnnPredictor, type PredictorOptions } from './model/predictor.js';
export { BUNDLED_MODEL_DIR, BUNDLED_SUCTION_MODEL_DIR, loadBundledPredictor } from './model/bundled-model.js';
export { loadModel, saveModel, type GqcnnModel } from './model/model-io.js';

// Training.
export { trainModel, DEFAULT_TRAIN_OPTIONS, type TrainOptions, type TrainReport } from './model/train.js';
export {
  getPreset,
  GQCNN_2_0,
  GQCNN_3_0,
  GQCNN_COMPACT,
  GQCNN_COMPACT_SUCTION,
  DEFAULT_ARCHITECTURE,
  type GqcnnArchitecture,
} from './model/architecture.js';

// Datasets.
export type { GenerateOptions, GenerateSummary } from './dataset/generate.js';
// Lazy: heap datasets bring MuJoCo (the heaps are dropped in it), which importing the library must not load.
export const generateDataset: typeof Generate.generateDataset = async (...args) =>
  (await import('./dataset/generate.js')).generateDataset(...args);
export { TensorDatasetReader } from './dataset/tensor-dataset.js';
export { generateGraspableObjects } from './dataset/graspable-objects.js';
export {
  importObjects,
  type ImportManifest,
  type ImportOptions,
  type ManifestObject,
} from './dataset/import-objects.js';
export { objectSplit } from './dataset/object-split.js';
export { importSolid, type ImportedSolid } from './geometry/object-import.js';

// Images and cameras.
export { readDepthFile, writeDepthNpy } from './image/depth-io.js';
export { readMaskPng } from './image/png.js';
export { graspAlignedCrop } from './image/crop.js';
export type { DepthImage, Mask } from './image/depth-image.js';
export {
  readIntrinsics,
  parseIntrinsics,
  writeIntrinsics,
  centeredIntrinsics,
  PHOXI_INTRINSICS,
  type CameraIntrinsics,
} from './geometry/camera-intrinsics.js';

// Rendering scenes: objects on the table, in a bin, seen by an ideal or a structured-light camera.
export {
  DepthRenderer,
  renderScene,
  type Camera,
  type RenderOptions,
  type RenderedImage,
  type SceneObject,
} from './render/depth-renderer.js';
export { renderHeap, heapCamera, writeHeapImage, type HeapImage } from './render/heap-image.js';
export { applyStructuredLight, type StructuredLightOptions } from './render/structured-light.js';

// Meshes, resting poses and procedural objects.
export { loadMesh, saveMesh, parseMesh, MeshFormatError } from './geometry/mesh-io/index.js';
export type { Mesh } from './geometry/mesh.js';
export { stablePoses, type StablePose } from './geometry/stable-poses.js';
export { RigidTransform } from './geometry/rigid-transform.js';
export {
  generateObjects,
  generateShape,
  writeObjectManifest,
  readObjectManifest,
  FAMILIES,
  TRAINING_FAMILIES,
  HOLDOUT_FAMILIES,
  type FamilyName,
  type GenerateObjectsOptions,
  type ProceduralObject,
  type ObjectManifest,
} from './geometry/procedural/index.js';

// The analytic grasp engine: contacts, force closure, Ferrari–Canny ε, robust labels.
export { GraspableObject, type LabelledGrasp } from './grasp/parallel-jaw/grasp-labels.js';
export { GraspQualityEvaluator } from './grasp/parallel-jaw/quality.js';
export { ferrariCanny, ferrariCannyFromWrenches } from './grasp/parallel-jaw/ferrari-canny.js';
export { forceClosure } from './grasp/parallel-jaw/force-closure.js';
export {
  DEFAULT_GRIPPER,
  DEFAULT_SUCTION_GRIPPER,
  validateSuctionGripper,
  type Gripper,
  type ParallelJawGripper,
  type SuctionGripper,
} from './grasp/gripper.js';
export {
  SuctionQualityEvaluator,
  DEFAULT_SUCTION_NOISE,
  type SuctionQuality,
  type SuctionRobustnessNoise,
} from './grasp/suction/quality.js';
export { sampleSuctionGrasps, type SuctionSamplerOptions } from './grasp/suction/suction-sampler.js';
export type { SuctionGrasp } from './grasp/suction/suction-grasp.js';
export {
  sampleImageSuctionGrasps,
  footprintFlatness,
  type ImageSuctionSamplerOptions,
} from './grasp/image-suction-sampler.js';
export type { ImageSuctionGrasp } from './grasp/image-suction-grasp.js';
export type { ParallelJawGrasp } from './grasp/parallel-jaw/parallel-jaw-grasp.js';
export type { Contact } from './grasp/parallel-jaw/contact.js';

// Evaluation in simulation (MuJoCo loads on first call).
export { writeEvaluationReport, readEvaluationReport, type EvaluationReport } from './evaluate/report-writer.js';
export type { EvaluationOptions } from './evaluate/evaluation.js';
export const loadTrialObjects: typeof Evaluation.loadTrialObjects = async (...args) =>
  (await import('./evaluate/evaluation.js')).loadTrialObjects(...args);
export const runEvaluation: typeof Evaluation.runEvaluation = async (...args) =>
  (await import('./evaluate/evaluation.js')).runEvaluation(...args);

// Heaps dropped into a bin (MuJoCo loads on first call) and their records.
export { DEFAULT_BIN, type Bin } from './physics/bin.js';
export { parseObjectCount, type ObjectCount } from './physics/heap-contents.js';
export {
  readHeapRecord,
  keptObjects,
  poseFromRecord,
  type HeapRecord,
  type HeapObjectRecord,
} from './physics/heap-record.js';
export type { HeapDrop, HeapDropOptions } from './physics/heap-drop.js';
export type { HeapSetOptions, HeapSetSummary } from './physics/heap-set.js';
export const dropHeap: typeof HeapDrop.dropHeap = async (...args) =>
  (await import('./physics/heap-drop.js')).dropHeap(...args);
export const generateHeaps: typeof HeapSet.generateHeaps = async (...args) =>
  (await import('./physics/heap-set.js')).generateHeaps(...args);

// Distributed generation on a Redis queue (bullmq loads on first call).
export const generateDatasetOnQueue: typeof Queue.generateDatasetOnQueue = async (...args) =>
  (await import('./dataset/queue.js')).generateDatasetOnQueue(...args);
export const runQueueWorker: typeof Queue.runQueueWorker = async (...args) =>
  (await import('./dataset/queue.js')).runQueueWorker(...args);

// The HTTP service (fastify loads on first call).
export type { ServerOptions, DexnetServer } from './server/app.js';
export const startServer: typeof Server.startServer = async (...args) =>
  (await import('./server/app.js')).startServer(...args);
