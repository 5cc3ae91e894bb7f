import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

export interface DiscoveredRoute {
  /** `GET /v1/flows/:flowId` */
  key: string;
  method: string;
  path: string;
  controller: string;
  handler: string;
}

const join = (...parts: (string | undefined)[]) =>
  `/${parts
    .filter((p): p is string => typeof p === 'string' && p !== '' && p !== '/')
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .join('/')}`;

/**
 * Every HTTP route the running application serves, read from Nest's own controller metadata — the
 * ground truth the access matrix and the OpenAPI document are checked against.
 */
export function discoverRoutes(app: INestApplication): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        const verb = RequestMethod[method];
        const full = join(base, path);
        routes.push({ key: `${verb} ${full}`, method: verb, path: full, controller: controller.name, handler: name });
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}
