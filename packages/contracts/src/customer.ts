/**
 * The customer and the channel a contact arrives on. A module of its own so that the Temporal workflow
 * sandbox, which re-runs the top level of every module it imports for each new contact, builds only
 * the schemas it uses (see `sandbox.ts`).
 */
import { z } from 'zod';

/** The channel a contact arrives on. */
export const channelSchema = z.enum(['voice', 'chat', 'email']);
export type Channel = z.infer<typeof channelSchema>;

/** How the customer proved who they are, if they did. */
export const authMethodSchema = z.enum(['none', 'password', 'otp', 'sso', 'knowledge_based', 'voice_biometrics', 'caller_id']);
export type AuthMethod = z.infer<typeof authMethodSchema>;

/** The customer behind a contact, as the channel or CRM lookup knows them. */
export const customerSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  /** Service tier; flows route high-value customers differently (`customer.tier == "vip"`). */
  tier: z.string().min(1).default('standard'),
  authenticated: z.boolean().default(false),
  authMethod: authMethodSchema.default('none'),
  language: z.string().default('en'),
  /** Free-form CRM attributes, readable from flow expressions as `customer.attributes`. */
  attributes: z.record(z.string(), z.unknown()).default({}),
});
export type Customer = z.infer<typeof customerSchema>;
export type CustomerInput = z.input<typeof customerSchema>;
