/** Routes a screen id to its component; every screen takes the same props. */
import type { ReactElement } from 'react';
import type { ScreenId } from './flow.js';
import type { ScreenProps } from './screens/screen-props.js';
import {
  LocationScreen,
  ResourceGroupScreen,
  SubscriptionScreen,
  TopologyScreen,
} from './screens/azure-scope-screens.js';
import { VaultExistingScreen, VaultKindScreen, VaultNameScreen } from './screens/vault-screens.js';
import { AksScreen, EndpointVnetScreen, SubnetScreen } from './screens/network-azure-screens.js';
import { CsiScreen, EgressIpsScreen, IdentityScreen, KubeContextScreen } from './screens/cluster-screens.js';
import { MonitorScreen } from './screens/monitor-screen.js';
import { MappingScreen, SecretSourcesScreen } from './screens/secrets-screens.js';

const SCREENS: Record<Exclude<ScreenId, 'welcome'>, (props: ScreenProps) => ReactElement | null> = {
  topology: TopologyScreen,
  subscription: SubscriptionScreen,
  'resource-group': ResourceGroupScreen,
  location: LocationScreen,
  'vault-kind': VaultKindScreen,
  'vault-name': VaultNameScreen,
  'vault-existing': VaultExistingScreen,
  aks: AksScreen,
  'kube-context': KubeContextScreen,
  'endpoint-vnet': EndpointVnetScreen,
  subnet: SubnetScreen,
  'egress-ips': EgressIpsScreen,
  csi: CsiScreen,
  identity: IdentityScreen,
  monitor: MonitorScreen,
  'secret-sources': SecretSourcesScreen,
  mapping: MappingScreen,
};

export function QuestionScreen({ id, ...props }: ScreenProps & { id: Exclude<ScreenId, 'welcome'> }) {
  const Screen = SCREENS[id];
  return <Screen {...props} />;
}
