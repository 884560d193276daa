/** The browser journeys on the default store, a fresh local D1 (see worker-setup.ts). */
import { workerSetup } from "./worker-setup";

export default workerSetup({ store: "d1" });
