/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The indexer's base URL (issue 15); unset, "my policies" come from the SDK's log index. */
  readonly VITE_PARAPET_INDEXER_URL?: string;
}

declare module "virtual:parapet-deployment" {
  /** The deployment file `PARAPET_DEPLOYMENT` names (see vite.config.ts), as `npm run chain` writes it. */
  const deployment: unknown;
  export default deployment;
}

/** An EIP-1193 provider, as wallets inject it. */
interface Window {
  ethereum?: import("ethers").Eip1193Provider & {
    on?: (event: string, listener: (...args: unknown[]) => void) => void;
  };
}
