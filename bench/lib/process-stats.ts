/**
 * What the kernel counts for another process: CPU time and resident memory, read from /proc (Linux).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | null = null;
function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

/**
 * CPU time the process has used, in ms: the sum over its threads of schedstat's first field (ns on the
 * CPU), so JIT, GC and libuv threads count too; without schedstat, utime + stime of /proc/<pid>/stat
 * (clock ticks, 10 ms at CLK_TCK 100). A thread that exited takes its schedstat time with it, but
 * Node's threads live as long as the process.
 */
export function cpuMs(pid: number): number {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    }
    if (Number.isFinite(ns) && ns > 0) return ns / 1e6;
  } catch {
    // No schedstat (kernel without CONFIG_SCHEDSTATS): fall back to the tick counters.
  }
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks / ticksPerSecond()) * 1000;
}

function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
  return Number(kb ?? 0) / 1024;
}

/** Resident memory now, MB. */
export const rssMb = (pid: number) => statusMb(pid, 'VmRSS');
/** Peak resident memory since the process started (VmHWM), MB. */
export const peakRssMb = (pid: number) => statusMb(pid, 'VmHWM');

/**
 * Connections the kernel dropped because a listening socket's accept queue was full (TcpExt
 * ListenOverflows, machine-wide): a process too busy to accept, or a backlog smaller than the burst.
 */
export function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const names = lines.find((line) => line.startsWith('TcpExt:'))?.split(' ') ?? [];
  const values = lines.filter((line) => line.startsWith('TcpExt:'))[1]?.split(' ') ?? [];
  return Number(values[names.indexOf('ListenOverflows')] ?? 0);
}
