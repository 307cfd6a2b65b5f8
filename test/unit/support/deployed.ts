// The functions a module deploys, named as firebase-functions' loader names them (runtime/loader.js,
// extractStack): an export with an `__endpoint` is a function named after its export; an object export is a
// group whose members deploy as `<group>-<member>`.
export interface DeployedFunction {
  __endpoint: {
    region?: string[];
    taskQueueTrigger?: { retryConfig?: { maxAttempts?: number } };
    secretEnvironmentVariables?: { key: string }[];
  };
  run?: (request: unknown) => unknown;
}

export function deployedFunctions(module: object, prefix = ''): Map<string, DeployedFunction> {
  const found = new Map<string, DeployedFunction>();
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'function' && typeof (value as { __endpoint?: unknown }).__endpoint === 'object') {
      found.set(prefix + name, value as DeployedFunction);
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [inner, fn] of deployedFunctions(value as object, `${prefix}${name}-`)) found.set(inner, fn);
    }
  }
  return found;
}
