/**
 * Where the API is. The built designer is static files; `npm start` serves them with a
 * `/config.json` naming the API (`TANDEM_API_URL`), so one build runs against any installation.
 */
export interface RuntimeConfig {
  apiUrl: string;
}

const FALLBACK_API_URL = 'http://127.0.0.1:3000';

export async function loadRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  try {
    const response = await fetchImpl('/config.json', { cache: 'no-store' });
    if (response.ok) {
      const config = (await response.json()) as Partial<RuntimeConfig>;
      if (typeof config.apiUrl === 'string' && config.apiUrl) return { apiUrl: config.apiUrl };
    }
  } catch {
    // The dev server has no config.json: use the default below.
  }
  return { apiUrl: (import.meta.env.VITE_TANDEM_API_URL as string | undefined) ?? FALLBACK_API_URL };
}
