// The page's calls to the dexnet service, with the API key when the server asks for one (kept for the tab only).
const KEY = 'dexnet-api-key';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | null,
  ) {
    super(message);
  }
}

const keyBox = () => document.getElementById('key-box') as HTMLLabelElement;

export function setupApiKey(): void {
  const input = document.getElementById('api-key') as HTMLInputElement;
  input.value = sessionStorage.getItem(KEY) ?? '';
  if (input.value) keyBox().hidden = false;
  input.addEventListener('change', () => sessionStorage.setItem(KEY, input.value.trim()));
}

/** fetch relative to the page; a non-2xx answer throws ApiError with the server's `{ error, field }`. */
export async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const key = sessionStorage.getItem(KEY);
  if (key) headers.set('authorization', `Bearer ${key}`);
  const r = await fetch(path, { ...init, headers });
  if (r.ok) return r;
  if (r.status === 401) keyBox().hidden = false;
  let body: { error?: string; field?: string | null } = {};
  try {
    body = await r.json();
  } catch {
    body = {};
  }
  throw new ApiError(body.error ?? `${r.status} ${r.statusText}`, r.status, body.field ?? null);
}
