// The table of device models, looked up by a DTS node's `compatible` string. The board
// builder and the language server both use it, so a board file is checked against
// exactly the models the emulator can build.
import type { DeviceType } from './device';
import { cmsdkApbUartType } from './cmsdk-apb-uart';
import { cmsdkApbTimerType } from './cmsdk-apb-timer';
import { cmsdkApbDualTimerType } from './cmsdk-apb-dualtimer';
import { mps2FpgaIoType } from './mps2-fpgaio';
import { mps2SccType } from './mps2-scc';
import { unimplementedType } from './unimplemented';
import { bitBandType } from './bitband';
import { iotKitSecCtlType, iotKitSecCtlNsType } from './iotkit-secctl';
import { tzMpcType } from './tz-mpc';
import { iotKitSysCtlType } from './iotkit-sysctl';
import { iotKitSysInfoType, armSseCpuIdType } from './iotkit-sysinfo';
import { armSseMhuType } from './armsse-mhu';
import { armGicType } from './arm-gic';
import { a9ScuType } from './a9-scu';
import { a9PrivateTimerType } from './a9-private-timer';
import { a9GlobalTimerType } from './a9-global-timer';
import { pl310Type } from './pl310';
import { imxUartType } from './imx-uart';
import { imxGptType } from './imx-gpt';
import { imxEpitType } from './imx-epit';
import { imxSrcType } from './imx-src';
import { imxCcmType } from './imx-ccm';
import { imxAnalogType } from './imx-analog';
import { imxGpioType } from './imx-gpio';
import { imxWdogType } from './imx-wdog';

export const deviceTypes: DeviceType[] = [
  cmsdkApbUartType,
  cmsdkApbTimerType,
  cmsdkApbDualTimerType,
  mps2FpgaIoType,
  mps2SccType,
  unimplementedType,
  bitBandType,
  iotKitSecCtlType,
  iotKitSecCtlNsType,
  tzMpcType,
  iotKitSysCtlType,
  iotKitSysInfoType,
  armSseCpuIdType,
  armSseMhuType,
  armGicType,
  a9ScuType,
  a9PrivateTimerType,
  a9GlobalTimerType,
  pl310Type,
  imxUartType,
  imxGptType,
  imxEpitType,
  imxSrcType,
  imxCcmType,
  imxAnalogType,
  imxGpioType,
  imxWdogType,
];

const byCompatible = new Map<string, DeviceType>();
for (const t of deviceTypes) {
  for (const c of t.compatible) {
    if (byCompatible.has(c)) throw new Error(`device registry: compatible "${c}" is claimed by two models`);
    byCompatible.set(c, t);
  }
}

/** The model for one compatible string. For a node, try its strings in order (most specific first). */
export function findDeviceType(compatible: string): DeviceType | undefined {
  return byCompatible.get(compatible);
}
