/**
 * The customer and the channel a contact arrives on. A module of its own so that the Temporal workflow
 * sandbox, which re-runs the top level of every module it imports for each new contact, builds only
 * the schemas it uses (see `sandbox.ts`).
 */
import { z } from 'zod';

/**
 * Builds the channel, auth-method and customer schemas afresh. The module builds one set for everyone;
 * the workflow sandbox builds its own with `newCustomerSchema` and keeps it out of reach of the
 * sandbox's freeze (see `sandbox.ts`).
 */
function customerSchemas() {
  /** The channel a contact arrives on. */
  const channel = z.enum(['voice', 'chat', 'email']);
  /** How the customer proved who they are, if they did. */
  const authMethod = z.enum(['none', 'password', 'otp', 'sso', 'knowledge_based', 'voice_biometrics', 'caller_id']);
  /** The customer behind a contact, as the channel or CRM lookup knows them. */
  const customer = z.object({
    id: z.string().min(1),
    name: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    /** Service tier; flows route high-value customers differently (`customer.tier == "vip"`). */
    tier: z.string().min(1).default('standard'),
    authenticated: z.boolean().default(false),
    authMethod: authMethod.default('none'),
    language: z.string().default('en'),
    /** Free-form CRM attributes, readable from flow expressions as `customer.attributes`. */
    attributes: z.record(z.string(), z.unknown()).default({}),
  });
  return { channel, authMethod, customer };
}

const schemas = customerSchemas();

/** The channel a contact arrives on. */
export const channelSchema = schemas.channel;
export type Channel = z.infer<typeof channelSchema>;

/** How the customer proved who they are, if they did. */
export const authMethodSchema = schemas.authMethod;
export type AuthMethod = z.infer<typeof authMethodSchema>;

/** The customer behind a contact, as the channel or CRM lookup knows them. */
export const customerSchema = schemas.customer;

/** A customer schema of its own (no part shared with `customerSchema`). */
export const newCustomerSchema = (): typeof customerSchema => customerSchemas().customer;
export type Customer = z.infer<typeof customerSchema>;
export type CustomerInput = z.input<typeof customerSchema>;
