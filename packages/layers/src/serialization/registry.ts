import type { Config, ConfigValue } from '../engine/types.js';

/** The families of built-in objects, each with its own namespace of class names (as in Keras). */
export type ObjectKind = 'layers' | 'initializers' | 'regularizers' | 'constraints' | 'activations';

const KINDS: ObjectKind[] = [
  'layers',
  'initializers',
  'regularizers',
  'constraints',
  'activations',
];

/** What the registry can hold: a class (built from its config) or a function (an activation...). */
export type SerializableClass = (abstract new (
  ...args: never[]
) => unknown) & {
  className?: string;
  fromConfig?: (config: Config, opts?: DeserializeOptions) => unknown;
};
export type SerializableFunction = (...args: never[]) => unknown;
export type Registrable = SerializableClass | SerializableFunction;

/** Name -> class or function, as passed to `loadModel(path, { customObjects })`. */
export type CustomObjects = Record<string, Registrable>;

export interface DeserializeOptions {
  customObjects?: CustomObjects;
  /** Which built-in family to search when the config has no `module` (the Keras 2 dialect). */
  kind?: ObjectKind;
}

const builtins: Record<ObjectKind, Map<string, Registrable>> = {
  layers: new Map(),
  initializers: new Map(),
  regularizers: new Map(),
  constraints: new Map(),
  activations: new Map(),
};
const builtinNames = new Map<Registrable, { kind: ObjectKind; name: string }>();
const globalCustom = new Map<string, Registrable>();
const customNames = new Map<Registrable, string>();
const scopes: CustomObjects[] = [];

/** The Keras class name of a class: its own static `className`, else its JS name. */
export function classNameOf(cls: Registrable): string {
  if (Object.hasOwn(cls, 'className')) {
    const own = (cls as { className?: unknown }).className;
    if (typeof own === 'string') return own;
  }
  return cls.name;
}

/** Keras 3's module string for a built-in of this family. */
export function moduleOfKind(kind: ObjectKind): string {
  return `keras.${kind}`;
}

/** Registers a built-in (done by `src/register.ts`); `name` defaults to the class name. */
export function registerBuiltin(kind: ObjectKind, obj: Registrable, name?: string): void {
  const key = name ?? classNameOf(obj);
  builtins[kind].set(key, obj);
  if (!builtinNames.has(obj)) builtinNames.set(obj, { kind, name: key });
}

/**
 * `keras.saving.register_keras_serializable`: makes a custom class or function loadable by its
 * registered name `"package>Name"` (and by its class name).
 */
export function registerKerasSerializable<T extends Registrable>(
  obj: T,
  opts: { package?: string; name?: string } = {},
): T {
  const pkg = opts.package ?? 'Custom';
  const name = opts.name ?? classNameOf(obj);
  if (name === '') {
    throw new Error(
      `registerKerasSerializable needs a name for an anonymous function or class. Received: name=""`,
    );
  }
  const registeredName = `${pkg}>${name}`;
  globalCustom.set(registeredName, obj);
  customNames.set(obj, registeredName);
  return obj;
}

/** `keras.saving.get_registered_name`: `"package>Name"` for registered objects, else the name. */
export function getRegisteredName(obj: Registrable): string {
  return customNames.get(obj) ?? classNameOf(obj);
}

/** Whether `obj` is a registered custom object (not a built-in). */
export function isRegisteredCustom(obj: Registrable): boolean {
  return customNames.has(obj);
}

/** Runs `fn` with extra custom objects visible to every deserialization inside it. */
export function withCustomObjects<T>(objects: CustomObjects, fn: () => T): T {
  scopes.push(objects);
  try {
    return fn();
  } finally {
    scopes.pop();
  }
}

function lookupCustom(name: string, customObjects?: CustomObjects): Registrable | undefined {
  if (customObjects && Object.hasOwn(customObjects, name)) return customObjects[name];
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (scope && Object.hasOwn(scope, name)) return scope[name];
  }
  return globalCustom.get(name);
}

function kindFromModule(module: unknown): ObjectKind | undefined {
  if (typeof module !== 'string') return undefined;
  return KINDS.find((k) => module === `keras.${k}` || module.startsWith(`keras.src.${k}`));
}

/**
 * Finds a class or function by Keras `class_name` (and `registered_name` when given), looking in
 * the custom objects passed, the `withCustomObjects` scopes, the registered objects, then the
 * built-ins of `kind` (every family when no kind is given).
 */
export function getRegisteredClass(
  className: string,
  opts: { registeredName?: string | null; customObjects?: CustomObjects; kind?: ObjectKind } = {},
): Registrable {
  const found = findRegistered(className, opts);
  if (found !== undefined) return found;
  throw new Error(unknownMessage(className, opts.kind));
}

function findRegistered(
  className: string,
  opts: { registeredName?: string | null; customObjects?: CustomObjects; kind?: ObjectKind },
): Registrable | undefined {
  const { registeredName, customObjects, kind } = opts;
  if (registeredName) {
    const byRegistered = lookupCustom(registeredName, customObjects);
    if (byRegistered !== undefined) return byRegistered;
  }
  const byClass = lookupCustom(className, customObjects);
  if (byClass !== undefined) return byClass;
  // A registered custom object is also found by its bare name, as Keras 2 configs write it.
  for (const [registered, obj] of globalCustom) {
    if (registered.slice(registered.indexOf('>') + 1) === className) return obj;
  }
  for (const k of kind ? [kind] : KINDS) {
    const builtin = builtins[k].get(className);
    if (builtin !== undefined) return builtin;
  }
  return undefined;
}

function unknownMessage(name: string, kind?: ObjectKind): string {
  const families = kind ? [kind] : KINDS;
  const known = families.flatMap((k) => [...builtins[k].keys()]).sort();
  const custom = [...globalCustom.keys()].sort();
  return (
    `Could not locate ${kind ? kind.replace(/s$/, '') : 'class or function'} "${name}". ` +
    `Built-in names: ${known.join(', ') || '(none)'}. Registered custom objects: ` +
    `${custom.join(', ') || '(none)'}. To load a custom object, register it with ` +
    `registerKerasSerializable(MyClass, { package: 'my_package' }) or pass it in ` +
    `customObjects: { ${JSON.stringify(name)}: MyClass }.`
  );
}

/** A Keras 3 serialized dict. */
export interface SerializedObject {
  module: string | null;
  class_name: string;
  config: ConfigValue;
  registered_name: string | null;
  [k: string]: ConfigValue;
}

/**
 * `keras.saving.serialize_keras_object` for our objects: classes with `getConfig()` become
 * `{module, class_name, config, registered_name}`, registered functions
 * `{module, class_name: 'function', config: 'package>name', registered_name: 'function'}`,
 * built-in functions their name.
 */
export function serializeKerasObject(obj: unknown): ConfigValue {
  if (obj === null || obj === undefined) return null;
  if (typeof obj === 'string' || typeof obj === 'number' || typeof obj === 'boolean') return obj;
  if (typeof obj === 'function') {
    const fn = obj as SerializableFunction;
    const custom = customNames.get(fn);
    if (custom !== undefined) {
      return {
        module: custom.slice(0, custom.indexOf('>')),
        class_name: 'function',
        config: custom,
        registered_name: 'function',
      };
    }
    const builtin = builtinNames.get(fn);
    if (builtin !== undefined) return builtin.name;
    throw new Error(
      `Cannot serialize function "${fn.name || '<anonymous>'}": it is neither built in nor ` +
        `registered. Register it with registerKerasSerializable(fn, { package: 'my_package' }).`,
    );
  }
  const withConfig = obj as { getConfig?: () => Config; constructor: Registrable };
  if (typeof withConfig.getConfig !== 'function') {
    throw new Error(`Cannot serialize ${String(obj)}: expected an object with getConfig().`);
  }
  const cls = withConfig.constructor;
  const config = withConfig.getConfig();
  const custom = customNames.get(cls);
  if (custom !== undefined) {
    return {
      module: custom.slice(0, custom.indexOf('>')),
      class_name: classNameOf(cls),
      config,
      registered_name: custom,
    };
  }
  const builtin = builtinNames.get(cls);
  return {
    module: builtin ? moduleOfKind(builtin.kind) : null,
    class_name: classNameOf(cls),
    config,
    registered_name: builtin ? null : classNameOf(cls),
  };
}

function isClass(obj: Registrable): obj is SerializableClass {
  return /^class[\s{]/.test(Function.prototype.toString.call(obj)) || 'fromConfig' in obj;
}

/**
 * `keras.saving.deserialize_keras_object`: a class name string, a Keras 3 dict (with `module`
 * and `registered_name`) or a Keras 2 dict (`{class_name, config}`) -> the object.
 */
export function deserializeKerasObject(
  config: ConfigValue,
  opts: DeserializeOptions = {},
): unknown {
  if (config === null) return null;
  if (typeof config === 'string') {
    const obj = getRegisteredClass(config, opts);
    return isClass(obj) ? instantiate(obj, {}, opts) : obj;
  }
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new Error(
      `Expected a Keras serialized object ({class_name, config}) or a name. Received: ${JSON.stringify(config)}`,
    );
  }
  const className = config.class_name;
  if (typeof className !== 'string') {
    throw new Error(
      `A Keras serialized object needs a string "class_name". Received: ${JSON.stringify(config)}`,
    );
  }
  const kind = kindFromModule(config.module) ?? opts.kind;
  if (className === 'function') {
    const fnName = typeof config.config === 'string' ? config.config : '';
    return getRegisteredClass(fnName, {
      customObjects: opts.customObjects,
      kind,
      registeredName: fnName,
    });
  }
  const registeredName = typeof config.registered_name === 'string' ? config.registered_name : null;
  const obj = getRegisteredClass(className, {
    registeredName,
    customObjects: opts.customObjects,
    kind,
  });
  const inner = config.config;
  const innerConfig: Config =
    inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? inner : {};
  return isClass(obj) ? instantiate(obj, innerConfig, { ...opts, kind }) : obj;
}

function instantiate(cls: SerializableClass, config: Config, opts: DeserializeOptions): unknown {
  if (typeof cls.fromConfig === 'function') return cls.fromConfig(config, opts);
  const Ctor = cls as unknown as new (args: Config) => unknown;
  return new Ctor(config);
}
