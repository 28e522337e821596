/**
 * The azure flow answered with defaults, from the welcome to the plan review: the text each
 * screen shows that the ones around it don't. The in-process (ink-testing-library) and the
 * real-terminal (tmux) esc walks both follow it, so a screen added to the flow is added here once.
 */
export const AZURE_DEFAULT_SCREENS = [
  'Press enter to start',
  '? Where does the Feathr cluster run?',
  '? Azure subscription',
  '? Resource group for the vault',
  '? Azure region for the vault',
  '? Key Vault',
  '? Name of the new vault',
  '? AKS cluster Feathr runs on',
  '? Kube context of that cluster',
  "? VNet for the vault's private endpoint",
  '? Name of the new subnet in shared-vnet',
  '? Address range of subnet kv-endpoints',
  '? Secrets Store CSI driver',
  '? Secret rotation',
  '? Identity the Feathr pods use',
  '? Watch the path to the vault from inside the cluster?',
  "? Where are Feathr's secrets now?",
  '? Secrets to migrate: 8',
  'Apply this plan?',
] as const;

/** The screen that asks for the topology; its second choice is another cloud. */
const TOPOLOGY_SCREEN = '? Where does the Feathr cluster run?';

/** The other-cloud flow from the welcome to the rotation question, answered with defaults. */
const OTHER_CLOUD_FIRST_SCREENS = [
  'Press enter to start',
  TOPOLOGY_SCREEN,
  '? Azure subscription',
  '? Resource group for the vault',
  '? Azure region for the vault',
  '? Key Vault',
  '? Name of the new vault',
  '? Kube context of that cluster',
  '? Public egress IPs of the cluster',
  '? Secrets Store CSI driver',
  '? Secret rotation',
] as const;

/**
 * The first screens of every other-cloud walk (in process and in tmux), as [title, keys?] with
 * `anotherCloud` the keys that choose another cloud on the topology screen.
 */
export function otherCloudFirstScreens<Keys>(anotherCloud: Keys): [string, Keys?][] {
  return OTHER_CLOUD_FIRST_SCREENS.map((title) => (title === TOPOLOGY_SCREEN ? [title, anotherCloud] : [title]));
}
