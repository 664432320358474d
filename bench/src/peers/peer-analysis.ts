/** The standing analysis of the peers section, revised after each measured run. */
export const PEERS_ANALYSIS: readonly string[] = ["Not analysed yet."];
