// The HTTP API's shapes in zod: the same objects validate requests (routes) and describe them (/openapi.json).
import { z } from 'zod';
import { POLICIES } from '../policy/plan.js';
import { PLAN_GRIPPER_CHOICES, PLAN_GRIPPERS } from '../policy/plan-types.js';
import { PLAN_LIMITS, workspaceProblem } from '../policy/plan-io.js';

const integer = (min: number, max: number) => z.number().int().min(min).max(max);

/** gqcnn `.intr` fields; intrinsicsFromJson applies the same rules again when it builds the camera. */
export const intrinsicsSchema = z
  .object({
    _fx: z.number().positive().describe('focal length along columns (px)'),
    _fy: z.number().positive().describe('focal length along rows (px)'),
    _cx: z.number().describe('principal point column (px)'),
    _cy: z.number().describe('principal point row (px)'),
    _skew: z.number().optional().describe('skew (default 0)'),
    _height: z.number().int().positive().describe('image rows; must equal the depth image'),
    _width: z.number().int().positive().describe('image columns; must equal the depth image'),
    _frame: z.string().min(1).optional().describe('camera frame name (default "camera")'),
    _K: z.unknown().optional().describe('ignored (gqcnn writes 0)'),
  })
  .strict()
  .describe('camera intrinsics with the fields of a gqcnn .intr file');

const workspaceSchema = z
  .array(z.number())
  .superRefine((parts, ctx) => {
    const problem = workspaceProblem(parts);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('only grasp centres inside this pixel rectangle [x0, y0, x1, y1] (inclusive)');

/** Everything of a plan request except the images; shared by the JSON and the multipart forms. */
export const planOptionsSchema = z.object({
  intrinsics: intrinsicsSchema,
  policy: z.enum(POLICIES).optional().describe('planning policy (default cem)'),
  gripper: z
    .enum(PLAN_GRIPPER_CHOICES)
    .optional()
    .describe(
      "gripper kind (default: the served model's; suction needs a served suction model; both — the best grasp " +
        'over jaws and cup by q — a jaw model with `--suction-model` beside it)',
    ),
  topK: integer(PLAN_LIMITS.topK.min, 100).optional().describe('how many grasps to return, best first (default 1)'),
  seed: integer(PLAN_LIMITS.seed.min, PLAN_LIMITS.seed.max)
    .optional()
    .describe('random seed: the same seed gives the same grasp (default 0)'),
  depthScale: z
    .number()
    .min(PLAN_LIMITS.depthScale.min)
    .max(PLAN_LIMITS.depthScale.max)
    .optional()
    .describe('metres per unit of a 16-bit PNG depth image (default 0.001)'),
  workspace: workspaceSchema.optional(),
  minQ: z
    .number()
    .min(PLAN_LIMITS.minQ.min)
    .max(PLAN_LIMITS.minQ.max)
    .optional()
    .describe('smallest q worth returning: with no grasp at or above it the answer is 422 (default 0)'),
});
export type PlanOptions = z.infer<typeof planOptionsSchema>;

const base64 = z.base64().min(1);

export const planJsonBodySchema = planOptionsSchema
  .extend({
    depth: base64.describe(
      'the bytes of a .npy (float metres, H×W or H×W×1) or 16-bit PNG (millimetres × depthScale), base64',
    ),
    segmask: base64.optional().describe('object mask PNG (non-zero = object), base64'),
  })
  .strict();

/** The multipart form, for the docs: files are binary parts, the other fields text (intrinsics as .intr JSON). */
export const planMultipartDocSchema = z.object({
  depth: z.string().meta({ format: 'binary' }).describe('.npy or 16-bit PNG depth file'),
  intrinsics: z.string().describe('a gqcnn .intr file (JSON), as a file or a text field'),
  segmask: z.string().meta({ format: 'binary' }).optional().describe('object mask PNG'),
  policy: z.enum(POLICIES).optional(),
  gripper: z.enum(PLAN_GRIPPER_CHOICES).optional(),
  topK: z.string().optional().describe('integer'),
  seed: z.string().optional().describe('integer'),
  depthScale: z.string().optional().describe('number'),
  workspace: z.string().optional().describe('x0,y0,x1,y1'),
  minQ: z.string().optional().describe('number in [0, 1]'),
});

export const graspSchema = z.object({
  gripper: z.enum(PLAN_GRIPPERS).optional().describe('gripper of this grasp (in plans for gripper both)'),
  center: z.object({ x: z.number().describe('column'), y: z.number().describe('row') }),
  angle: z.number().describe('grasp axis angle in the image (rad)'),
  depth: z.number().describe('gripper depth along the optical axis (m)'),
  width: z.number().describe('jaw opening (m)'),
  widthPx: z.number().describe('jaw opening at that depth (px)'),
  q: z.number().describe('predicted probability of a robust grasp (calibrated where the model carries a calibration)'),
  networkQ: z.number().optional().describe("the network's own q, where the model's calibration turned it into q"),
  pose: z.array(z.number()).length(16).describe('gripper → camera transform, row-major 4×4'),
  suction: z
    .object({
      point: z.array(z.number()).length(3).describe('target point, camera frame (m)'),
      approach: z.array(z.number()).length(3).describe('unit approach axis, camera frame, into the surface'),
      approachAngle: z.number().describe('angle between the approach and the optical axis (rad)'),
      cupRadius: z.number().describe('cup radius (m)'),
      cupRadiusPx: z.number().describe('cup radius at the target depth (px)'),
      axisTailPx: z.object({ x: z.number(), y: z.number() }).describe('pixel of the axis 3 cm back toward the cup'),
    })
    .optional()
    .describe('suction grasps only: angle is then the crop angle, width the cup diameter'),
});

export const planResponseSchema = graspSchema
  .extend({
    policy: z.enum(POLICIES),
    gripper: z.enum(PLAN_GRIPPERS).optional().describe("present for suction plans and both (the best grasp's)"),
    timeMs: z.number(),
    scoredCount: z.number().int(),
    grasps: z.array(graspSchema),
    byGripper: z
      .array(
        z.object({
          gripper: z.enum(PLAN_GRIPPERS),
          q: z.number().optional().describe("its best grasp's q"),
          scoredCount: z.number().int(),
          timeMs: z.number(),
          reason: z.string().optional().describe('why it has no grasp'),
        }),
      )
      .optional()
      .describe("gripper both: each gripper's own plan"),
  })
  .describe('the same JSON as `dexnet plan --json`: the best grasp at the top level, then all grasps');

export const errorSchema = z.object({
  error: z.string().describe('what is wrong, one line'),
  field: z.string().nullable().describe('the request field at fault (e.g. "intrinsics._fx", "depth"), or null'),
});

export const healthSchema = z.object({
  status: z.literal('ok'),
  model: z.string(),
  workers: z.number().int(),
  queueDepth: z.number().int(),
  uptimeSeconds: z.number(),
});

export const modelSchema = z.object({
  name: z.string(),
  architecture: z.record(z.string(), z.unknown()),
  normalisation: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
  training: z.record(z.string(), z.unknown()).describe('training settings (without the per-epoch history)'),
  report: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('report.json of `dexnet train` (history, validation metrics)'),
  plots: z.array(z.string()).describe('names served by /v1/model/plots/{name}'),
});

export const MODEL_PLOTS = ['loss', 'error', 'roc', 'precision-recall'] as const;
export const modelPlotParamsSchema = z.object({ name: z.enum(MODEL_PLOTS) }).strict();

export const EXAMPLE_FILES = ['depth.npy', 'camera.intr', 'segmask.png'] as const;
export const exampleParamsSchema = z.object({ file: z.enum(EXAMPLE_FILES) }).strict();

export const datasetSummarySchema = z.object({
  datapoints: z.number().int(),
  objects: z.number().int(),
  positives: z.number().int(),
  threshold: z.number().describe('robust ε above which a grasp is labelled positive'),
  cropSize: z.number().int(),
});

export const datasetCropsQuerySchema = z
  .object({
    offset: z.coerce.number().int().min(0).default(0).describe('first match to return'),
    limit: z.coerce.number().int().min(1).max(100).default(24).describe('matches per page'),
    object: z.coerce.number().int().min(0).optional().describe('only this object label'),
    label: z.enum(['positive', 'negative']).optional().describe('only positive or negative grasps'),
  })
  .strict();

export const datasetCropsSchema = z.object({
  total: z.number().int().describe('datapoints matching the filter'),
  offset: z.number().int(),
  cropSize: z.number().int(),
  items: z.array(
    z.object({
      index: z.number().int(),
      object: z.number().int(),
      label: z.union([z.literal(0), z.literal(1)]),
      robustEpsilon: z.number(),
      depth: z.number().describe('grasp depth (m)'),
      crop: z.string().describe('cropSize² float32 depths (m), little-endian, base64'),
    }),
  ),
});
