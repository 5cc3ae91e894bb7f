import { z } from 'zod';

const dependency = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() });

/** `GET /health`: readiness, `ok` when every dependency answered within its timeout, `down` naming which did not. */
export const healthReportSchema = z.object({ status: z.enum(['ok', 'down']), checks: z.object({ postgres: dependency, temporal: dependency, kafka: dependency }) });
export type HealthReport = z.output<typeof healthReportSchema>;
export type DependencyHealth = z.output<typeof dependency>;

/** `GET /health/live`: the process answers. */
export const livenessSchema = z.object({ status: z.literal('ok') });
export type Liveness = z.output<typeof livenessSchema>;
