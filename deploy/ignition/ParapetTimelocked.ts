/** Default-export entry for `hardhat ignition deploy`: the protocol with ADMIN handed to `Parapet.timelockAdmin`. */
export { ParapetTimelockedModule as default } from "./Parapet.js";
