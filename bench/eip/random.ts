/** The seeded PRNG lives with the fleet simulation, which the program side may load; the bench harness reuses it. */
export { seededRandom } from "../../sim/random";
