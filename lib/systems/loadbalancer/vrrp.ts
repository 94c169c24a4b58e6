import { ParameterError, requireInteger, requirePositive } from '../../errors';

/**
 * keepalived/VRRP defaults: `advert_int` 1 s, `priority` 100 (1-254; 255 = address owner), and
 * VRRP version 2 (RFC 3768): keepalived's global `vrrp_version` defaults to 2 (keepalived/core/
 * global_data.c, set_vrrp_defaults: `data->vrrp_version = VRRP_VERSION_2`; `vrrp_version 3` selects RFC 5798).
 */
export const VRRP_DEFAULTS = { advert_int: 1, priority: 100, version: 2 as 2 | 3 } as const;

/**
 * VRRP skew time: VRRPv3 (RFC 5798 §6.1) `((256 - priority) x Advertisement_Interval) / 256`;
 * VRRPv2 (RFC 3768 §6.1) `(256 - priority) / 256` seconds whatever the interval.
 */
export function skewTime(
  advertInt: number,
  priority: number,
  version: 2 | 3 = VRRP_DEFAULTS.version,
): number {
  requirePositive('advert_int', advertInt);
  requireInteger('priority', priority, 1, 255);
  if (version !== 2 && version !== 3)
    throw new ParameterError('version', version, 'must be 2 (RFC 3768) or 3 (RFC 5798)');
  return version === 3 ? ((256 - priority) * advertInt) / 256 : (256 - priority) / 256;
}

/**
 * `Master_Down_Interval = 3 x Advertisement_Interval + Skew_Time`: how long a backup waits after
 * the last advertisement it heard before it takes over the virtual address (advert 1 s, priority
 * 100 -> 3.609 s; priority 254 -> 3.008 s). Among several backups the highest priority has the
 * shortest skew and wins.
 */
export function masterDownInterval(
  advertInt: number,
  priority: number,
  version: 2 | 3 = VRRP_DEFAULTS.version,
): number {
  return 3 * advertInt + skewTime(advertInt, priority, version);
}
