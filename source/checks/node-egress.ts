/**
 * The allowlist covers the whole cluster: a vault behind an IP firewall (target other-cloud)
 * must admit every node's egress address, not only the one node a single probe pod landed
 * on, or Feathr's pods fail to mount on the nodes left out. One probe pod per Linux node,
 * pinned with nodeName and mounting the release's SecretProviderClass (so it calls the vault
 * with the pods' identity: Key Vault answers a caller it doesn't admit with 403 and the
 * `Client address:` it saw, after authentication). A node whose address is missing is named
 * with the address; with the firewall's default action Deny that node can't read a secret,
 * so the check fails, otherwise it warns.
 */
import { matchingRule } from '../domain/ip-rules.js';
import { probeSpec } from './probe.js';
import { fail, pass, skip, type Check } from './types.js';

export const nodeEgressChecks: readonly Check[] = [
  {
    // Before any change, read-only: the addresses the nodes publish (ExternalIP). A node behind
    // NAT publishes none; the per-node probe after the install (below) covers those.
    id: 'network.node-addresses',
    category: 'network',
    phase: 'preflight',
    description: "every node's public address is in network.allowedIps",
    severity: 'warning',
    hint: 'Add each address named above to network.allowedIps, or leave it out if no Feathr pod runs on that node.',
    async run(ctx) {
      if (ctx.config.target !== 'other-cloud')
        return skip('the vault is reached through a private endpoint, not by egress address');
      if (!ctx.kube) return skip('no Kubernetes connection in this run');
      const nodes = await ctx.kube.nodeAddresses();
      const allowed = ctx.config.network?.allowedIps ?? [];
      const missing = nodes.flatMap((n) =>
        n.externalIps.filter((ip) => !matchingRule(ip, allowed)).map((ip) => ({ node: n.name, ip })),
      );
      if (missing.length > 0) {
        const names = missing.map((m) => `node ${m.node} egresses from ${m.ip}`).join('; ');
        return {
          status: 'warn',
          message: `${names}, which network.allowedIps leaves out: its pods couldn't reach the vault`,
          hint: `Add ${missing.map((m) => m.ip).join(', ')} to network.allowedIps, or leave it out if no Feathr pod runs on that node.`,
        };
      }
      const published = nodes.filter((n) => n.externalIps.length > 0);
      if (published.length === 0)
        return skip(
          'no node publishes a public address (behind NAT); the in-cluster checks probe each node after the install',
        );
      return pass(
        `${published.length} of ${nodes.length} node${nodes.length === 1 ? '' : 's'} publish a public address, each in the allowlist`,
      );
    },
  },
  {
    id: 'connectivity.node-egress',
    category: 'connectivity',
    phase: 'installed',
    description: "every node's egress address is in the vault's allowlist",
    severity: 'fatal',
    needsProbe: true,
    hint: (ctx) =>
      `Add each address named above to network.allowedIps and run the setup again (or: az keyvault network-rule add --name ${ctx.config.vault.name} --ip-address ADDRESS).`,
    async run(ctx, facts) {
      if (ctx.config.target !== 'other-cloud')
        return skip('the vault is reached through a private endpoint, not by egress address');
      if (!ctx.kube || !facts.clusterReachable) return skip("the cluster isn't reachable");
      const spec = probeSpec(ctx, facts, false);
      if (!spec) return skip("the Feathr release isn't deployed, so no pod has the identity to ask the vault");
      const csi = facts.csi ?? (await ctx.kube.csiDriverState());
      const nodes = csi.nodes.map((n) => n.name);
      if (nodes.length === 0) return skip('no Linux node to probe');
      const allowed = facts.vault?.ipRules ?? ctx.config.network?.allowedIps ?? [];
      // Every node at once: a cluster of many nodes takes about as long as one. They usually
      // ran already, in connectivity.probe's batch.
      const earlier = facts.nodeProbes;
      const outcomes =
        earlier && earlier.nodes.join() === nodes.join()
          ? earlier.outcomes
          : await ctx.kube.runProbes(nodes.map((nodeName) => ({ ...spec, nodeName })));
      const seen: { node: string; address?: string; error?: string }[] = outcomes.map((outcome, i) => {
        const node = nodes[i]!;
        if (outcome.status === 'fulfilled')
          return { node, ...(outcome.value.clientAddress ? { address: outcome.value.clientAddress } : {}) };
        const error: unknown = outcome.reason;
        return { node, error: error instanceof Error ? error.message : String(error) };
      });
      const missing = seen.filter((s) => s.address && !matchingRule(s.address, allowed));
      const unprobed = seen.filter((s) => s.error);
      if (missing.length > 0) {
        const names = missing.map((m) => `node ${m.node} egresses from ${m.address}`).join('; ');
        const message = `${names}, which vault ${ctx.config.vault.name}'s firewall doesn't allow (it allows ${allowed.join(', ') || 'nothing'})`;
        const hint = `Add ${missing.map((m) => m.address).join(', ')} to network.allowedIps and run the setup again (or: ${missing.map((m) => `az keyvault network-rule add --name ${ctx.config.vault.name} --ip-address ${m.address}`).join(' && ')}).`;
        return facts.vault?.defaultAction === 'Deny'
          ? fail(message, { hint, diagnosis: 'firewall-blocks-egress' })
          : { status: 'warn', message, hint };
      }
      if (unprobed.length > 0)
        return {
          status: 'warn',
          message: `no probe ran on ${unprobed.map((u) => `${u.node} (${u.error})`).join(', ')}`,
        };
      return pass(
        `${nodes.length} node${nodes.length === 1 ? '' : 's'} probed: ${nodes.join(', ')}; the vault admits each`,
      );
    },
  },
];
