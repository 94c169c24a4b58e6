/**
 * The real components the measured experiments run, found on this machine: their binaries, their
 * versions and the machine itself for the provenance. A missing one is a ComponentMissingError
 * naming the Debian package to install (apt-get install -y haproxy memcached postgresql).
 */
import * as fs from 'fs';
import * as os from 'os';
import { ParameterError } from '../errors';
import { commandOutput } from './processes';

/** A real component the experiment needs is not installed: names the package that provides it. */
export class ComponentMissingError extends ParameterError {
  readonly package: string;
  constructor(component: string, pkg: string, looked: readonly string[]) {
    super(
      'component',
      component,
      `is not installed${looked.length ? ` (looked for ${looked.join(', ')})` : ''}: install the Debian package "${pkg}" (apt-get install -y ${pkg}) to measure it`,
    );
    this.package = pkg;
  }
}

function firstExisting(paths: readonly string[]): string | null {
  for (const p of paths) if (fs.existsSync(p)) return p;
  return null;
}

export interface Component {
  binary: string;
  version: string;
}

/** HAProxy: /usr/sbin/haproxy, `haproxy -v` first line's version. */
export function findHaproxy(): Component {
  const looked = ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy', '/usr/bin/haproxy'];
  const binary = firstExisting(looked);
  const out = binary ? commandOutput(binary, ['-v']) : null;
  if (!binary || out === null) throw new ComponentMissingError('HAProxy', 'haproxy', looked);
  const m = /version\s+(\S+)/i.exec(out);
  return { binary, version: m ? m[1] : out.split('\n')[0] };
}

/** memcached: /usr/bin/memcached, `memcached -V`. */
export function findMemcached(): Component {
  const looked = ['/usr/bin/memcached', '/usr/local/bin/memcached'];
  const binary = firstExisting(looked);
  const out = binary ? commandOutput(binary, ['-V']) : null;
  if (!binary || out === null) throw new ComponentMissingError('memcached', 'memcached', looked);
  return { binary, version: out.trim().replace(/^memcached\s+/, '') };
}

/** PostgreSQL's server binaries: the newest /usr/lib/postgresql/N/bin with initdb and postgres. */
export function findPostgres(): Component & { bin: string } {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter(
          (v) =>
            fs.existsSync(`${root}/${v}/bin/postgres`) && fs.existsSync(`${root}/${v}/bin/initdb`),
        )
    : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0)
    throw new ComponentMissingError('PostgreSQL', 'postgresql', [`${root}/*/bin/postgres`]);
  const bin = `${root}/${versions[0]}/bin`;
  const out = commandOutput(`${bin}/postgres`, ['--version']);
  return {
    binary: `${bin}/postgres`,
    bin,
    version: out ? out.trim().replace(/^postgres \(PostgreSQL\)\s*/, '') : versions[0],
  };
}

/** The machine, for the provenance: os, kernel, cpus (count and model). */
export function machine(): string {
  const cpus = os.cpus();
  return `${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}`;
}
