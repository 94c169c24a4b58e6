/**
 * Round-trip times between AWS regions, read from data/geodns/aws-inter-region-rtt.csv: the mean
 * EC2-to-EC2 ping (ms) between nine regions as tabulated in "AWS Regions", A Computer Scientist
 * Learns AWS, April 2017 (the figures of "Latency Between AWS Global Regions"); see
 * data/geodns/README.md for exactly where they come from and what they leave out.
 *
 * Also the continent of each region (Route 53 geolocation continent codes: AF, AN, AS, EU, NA,
 * OC, SA), which geolocation routing matches a client's location against.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ParameterError } from '../../errors';
import { projectRoot } from '../../project';

/** The regions of the shipped matrix, in its order. */
export const AWS_REGIONS = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;
export type AwsRegion = (typeof AWS_REGIONS)[number];

/** Route 53 geolocation continent codes. */
export const CONTINENTS = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'] as const;
export type Continent = (typeof CONTINENTS)[number];

/** Where each shipped region is (Sydney is in Oceania, the other ap- regions in Asia). */
export const REGION_CONTINENT: Readonly<Record<AwsRegion, Continent>> = {
  'us-east-1': 'NA',
  'us-west-1': 'NA',
  'us-west-2': 'NA',
  'eu-west-1': 'EU',
  'eu-central-1': 'EU',
  'ap-northeast-1': 'AS',
  'ap-northeast-2': 'AS',
  'ap-southeast-1': 'AS',
  'ap-southeast-2': 'OC',
};

/** The CSV's path. */
export function rttDataPath(): string {
  return path.join(projectRoot(), 'data', 'geodns', 'aws-inter-region-rtt.csv');
}

let cached: number[][] | null = null;

/** Parses the matrix CSV (header `from,<regions>`, one row per region, ms) into seconds. */
export function parseRttCsv(text: string): { regions: string[]; seconds: number[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',').slice(1);
  const seconds = lines.slice(1).map((l, i) => {
    const cells = l.split(',');
    if (cells[0] !== header[i])
      throw new ParameterError(
        `rtt row ${i}`,
        cells[0],
        `must be ${header[i]} (rows in the header's order)`,
      );
    return cells.slice(1).map((c) => {
      const ms = Number(c);
      if (!(ms >= 0))
        throw new ParameterError(
          `rtt ${cells[0]} -> ${header[i]}`,
          c,
          'must be a number of ms >= 0',
        );
      return ms / 1000;
    });
  });
  return { regions: header, seconds: seconds };
}

/** The full 9 x 9 matrix in seconds, [from][to] in {@link AWS_REGIONS} order (read once). */
export function awsRttMatrix(): number[][] {
  if (cached === null) {
    const parsed = parseRttCsv(fs.readFileSync(rttDataPath(), 'utf8'));
    if (parsed.regions.join() !== AWS_REGIONS.join())
      throw new ParameterError(
        'data/geodns/aws-inter-region-rtt.csv',
        parsed.regions.join(),
        `must list ${AWS_REGIONS.join()}`,
      );
    cached = parsed.seconds;
  }
  return cached.map((r) => r.slice());
}

/** True for a region of the shipped matrix. */
export function isAwsRegion(name: string): name is AwsRegion {
  return (AWS_REGIONS as readonly string[]).includes(name);
}

/** Round-trip time in seconds from region `from` to region `to` (as published, one direction). */
export function awsRegionRtt(from: AwsRegion, to: AwsRegion): number {
  const m = awsRttMatrix();
  return m[AWS_REGIONS.indexOf(from)][AWS_REGIONS.indexOf(to)];
}
