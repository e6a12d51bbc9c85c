/**
 * A V8 .cpuprofile (from `node --cpu-prof`) summarized: self time per function (the samples whose top
 * frame it was), summed over every node of the call tree that names the same function and place.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function isCpuProfile(value: unknown): value is CpuProfile {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray(Reflect.get(value, 'nodes')) &&
    Array.isArray(Reflect.get(value, 'samples')) &&
    Array.isArray(Reflect.get(value, 'timeDeltas'))
  );
}

/** Where a frame is, short: the package (or our workspace path) and the line. */
function place(url: string, line: number): string {
  if (url === '') return '';
  const file = url.replace(/^file:\/\//, '');
  const inPackage = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file);
  const short = inPackage ? `${inPackage[1]}/${inPackage[2]}` : file.replace(/^.*\/(apps|packages)\//, '$1/');
  return `${short.startsWith('node:') ? short : path.normalize(short)}:${line + 1}`;
}

/** Whose code a frame is: an npm package, our bundle, Node's internals, or V8/native (no URL). */
function owner(name: string, url: string): string {
  if (url === '') return name.startsWith('(') ? name : 'native';
  if (url.startsWith('node:')) return 'node';
  const inPackage = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return inPackage?.[1] ?? (url.includes('/apps/api/') ? 'apps/api (bundle)' : 'other');
}

/** The `top` functions by self time ("ms  %  function  place" lines), after one line by package. */
export function summarizeCpuProfile(file: string, top = 25): string[] {
  const profile: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isCpuProfile(profile)) return [`${file}: not a .cpuprofile`];
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    const delta = profile.timeDeltas[i] ?? 0;
    if (!frame) return;
    totalUs += delta;
    const key = `${frame.functionName || '(anonymous)'}\t${place(frame.url, frame.lineNumber)}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
    const who = owner(frame.functionName, frame.url);
    byOwner.set(who, (byOwner.get(who) ?? 0) + delta);
  });
  const idleUs = [...selfUs].filter(([key]) => key.startsWith('(idle)')).reduce((sum, [, us]) => sum + us, 0);
  const busyUs = totalUs - idleUs;
  const lines = [...selfUs]
    .filter(([key]) => !key.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const [name, where] = key.split('\t');
      const share = busyUs > 0 ? (us / busyUs) * 100 : 0;
      return `${(us / 1000).toFixed(0).padStart(7)} ms ${share.toFixed(1).padStart(5)} %  ${name}  ${where}`;
    });
  const owners = [...byOwner]
    .filter(([who]) => who !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([who, us]) => `${who} ${busyUs > 0 ? ((us / busyUs) * 100).toFixed(0) : 0} %`);
  return [
    `busy ${(busyUs / 1000).toFixed(0)} ms of ${(totalUs / 1000).toFixed(0)} ms sampled (startup included)`,
    `by package: ${owners.join(', ')}`,
    ...lines,
  ];
}
