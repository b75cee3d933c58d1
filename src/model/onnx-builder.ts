// Compiles a GQ-CNN architecture into ONNX graphs — inference (crop + pose → probs), fully
// convolutional (whole image → probability map) and training (forward, loss and the hand-written
// backward of every parameter) — from standard ops so onnxruntime-node runs them. The builders and
// each layer's forward and backward pass live in ./graph/.
export { buildFullyConvGraph } from './graph/fully-conv-graph.js';
export { buildInferenceGraph } from './graph/inference-graph.js';
export { type TrainingGraphOptions, buildTrainingGraph, gradName, statName } from './graph/training-graph.js';
