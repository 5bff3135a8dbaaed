import type { Express } from 'express';
import request from 'supertest';

/** The origin tests present to the dashboard: one of the defaults allowed for PORT=8080. */
export const DASHBOARD_ORIGIN = 'http://127.0.0.1:8080';
export const PASSWORD = 'correct horse battery';

export interface Browser {
  cookie: string;
  csrf: string;
  email: string;
}

let seq = 0;
export const uniqueEmail = () => `user${++seq}-${Date.now()}-${process.pid}@example.test`;

export function sessionCookie(res: request.Response): string {
  const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = header.find((c) => c.startsWith('__Host-df_session='));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
  return cookie.split(';')[0]!;
}

/** A browser on the dashboard's page: same-origin Host and Origin, its cookie and CSRF token once signed in. */
export function dashboardClient(app: Express, origin = DASHBOARD_ORIGIN) {
  const host = new URL(origin).host;
  const post = (path: string, body: object, b?: Pick<Browser, 'cookie' | 'csrf'>) => {
    let req = request(app).post(`/dashboard/api${path}`).set('Host', host).set('Origin', origin);
    if (b) req = req.set('Cookie', b.cookie).set('X-CSRF-Token', b.csrf);
    return req.send(body);
  };
  const get = (path: string, b?: Pick<Browser, 'cookie'>) => {
    const req = request(app).get(`/dashboard/api${path}`).set('Host', host);
    return b ? req.set('Cookie', b.cookie) : req;
  };
  const signUp = async (email = uniqueEmail(), password = PASSWORD): Promise<Browser> => {
    const res = await post('/signup', { email, name: 'Acme', password });
    if (res.status !== 201) throw new Error(`sign-up: ${res.status} ${JSON.stringify(res.body)}`);
    return { cookie: sessionCookie(res), csrf: res.body.csrf_token as string, email };
  };
  const signIn = async (email: string, password = PASSWORD): Promise<Browser> => {
    const res = await post('/login', { email, password });
    if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${JSON.stringify(res.body)}`);
    return { cookie: sessionCookie(res), csrf: res.body.csrf_token as string, email };
  };
  return { post, get, signUp, signIn };
}
