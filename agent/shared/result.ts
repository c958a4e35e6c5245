// Results, not exceptions, across stage boundaries (STYLE.md §7).

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<R extends string = string> = {
  readonly ok: false;
  readonly reason: R;
  readonly detail: string;
};
export type Result<T, R extends string = string> = Ok<T> | Err<R>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<R extends string>(reason: R, detail: string): Err<R> {
  return { ok: false, reason, detail };
}
