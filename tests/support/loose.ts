/**
 * A generated union of records (QueryRecord | EventRecord) as one object
 * type whose every field can be read, undefined where a member lacks it:
 * what assertions over mixed exported records read, without retyping the
 * records by hand.
 */
type KeysOf<U> = U extends unknown ? keyof U : never;
type ValueOf<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? U[K] : undefined) : never;

export type Loose<U> = { [K in KeysOf<U>]: ValueOf<U, K> };

/** The record itself, typed as Loose: a field it lacks reads undefined, as the type says. */
export const loose = <U>(record: U): Loose<U> => record as unknown as Loose<U>;
