/**
 * The injected EIP-1193 wallet (`window.ethereum`): asks for an account, and reloads the dApp when the wallet switches
 * account or chain (every read and the SDK client belong to one account on one chain).
 */
import { BrowserProvider, type JsonRpcSigner } from "ethers";

export class NoWallet extends Error {
  constructor() {
    super("No injected wallet (window.ethereum): install a browser wallet and point it at the chain (README: dApp developer)");
  }
}

export async function connectWallet(): Promise<{ provider: BrowserProvider; signer: JsonRpcSigner; account: string }> {
  const injected = window.ethereum;
  if (injected === undefined) throw new NoWallet();
  const provider = new BrowserProvider(injected);
  const [account] = (await provider.send("eth_requestAccounts", [])) as string[];
  if (account === undefined) throw new Error("the wallet returned no account");
  injected.on?.("accountsChanged", () => window.location.reload());
  injected.on?.("chainChanged", () => window.location.reload());
  const signer = await provider.getSigner(account);
  return { provider, signer, account: signer.address };
}
