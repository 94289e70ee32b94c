/**
 * Calls per second of each guide function through its Excel wrapper, beside the bare engine call
 * in the same run. The ratio is the cost of argument coercion and error mapping (target ≤ 2×). Where
 * the engine call is a few nanoseconds of arithmetic (which V8 may inline away), no wrapper that checks
 * its arguments can stay within 2×; the absolute overhead per call is printed beside the ratio.
 */
import { fx } from "../test/support/functions";
import { bytesPerParameter } from "../src/engine/precision";
import { inferenceMemoryGB, trainingMemoryGB } from "../src/engine/memory";
import { peakRequestsPerSecond } from "../src/engine/poisson";
import {
  breakEvenMonths,
  cloudCostPerMillionPromptsUSD,
  costPerMillionPromptsUSD,
  onPremAnnualCostUSD,
  onPremTokenCostUSD,
} from "../src/engine/cost";
import {
  concurrencyFromLittle,
  endToEndLatency,
  systemsNeeded,
  tensorParallelSize,
  tokensFromWords,
  wordsFromTokens,
} from "../src/engine/traffic";
import { measure, report, section } from "./harness";

interface Pair {
  readonly name: string;
  readonly engine: () => unknown;
  readonly wrapper: () => unknown;
}

const PAIRS: Pair[] = [
  {
    name: 'BYTES("FP16")',
    engine: () => bytesPerParameter("FP16"),
    wrapper: () => fx.bytes("FP16"),
  },
  {
    name: 'MEMORY(70, "FP16")',
    engine: () => inferenceMemoryGB(70, "FP16"),
    wrapper: () => fx.memory(70, "FP16"),
  },
  {
    name: 'TRAINMEMORY(70, "FP16", "lora")',
    engine: () => trainingMemoryGB(70, "FP16", "lora"),
    wrapper: () => fx.trainmemory(70, "FP16", "lora"),
  },
  {
    name: "PEAKRPS(10)",
    engine: () => peakRequestsPerSecond(10, 0.95),
    wrapper: () => fx.peakrps(10),
  },
  {
    name: "PEAKRPS(1e9)",
    engine: () => peakRequestsPerSecond(1e9, 0.95),
    wrapper: () => fx.peakrps(1e9),
  },
  {
    name: "COSTPER1M(119000, 41.6)",
    engine: () => costPerMillionPromptsUSD(119000, 41.6),
    wrapper: () => fx.costper1m(119000, 41.6),
  },
  {
    name: "CLOUDCOSTPER1M(2000, 2000, 15, 60)",
    engine: () => cloudCostPerMillionPromptsUSD(2000, 2000, 15, 60),
    wrapper: () => fx.cloudcostper1m(2000, 2000, 15, 60),
  },
  {
    name: "ONPREMANNUAL(320000, 4, 2, 8, 4500, 3000, 10, 0.1, 1.5)",
    engine: () =>
      onPremAnnualCostUSD({
        serverPriceUSD: 320000,
        depreciationYears: 4,
        servers: 2,
        gpusPerServer: 8,
        licenseUSDPerGpuYear: 4500,
        hostingUSDPerServerYear: 3000,
        powerKWPerServer: 10,
        usdPerKWh: 0.1,
        pue: 1.5,
      }),
    wrapper: () => fx.onpremannual(320000, 4, 2, 8, 4500, 3000, 10, 0.1, 1.5),
  },
  {
    name: "ONPREMTOKENCOST(5000, 2000, 500, 2.5, 10)",
    engine: () => {
      const s = onPremTokenCostUSD(5000, 2000, 500, 2.5, 10);
      return [[s.usdPer1MInput, s.usdPer1MOutput]];
    },
    wrapper: () => fx.onpremtokencost(5000, 2000, 500, 2.5, 10),
  },
  {
    name: "BREAKEVEN(100000, 2000, 12000)",
    engine: () => breakEvenMonths(100000, 2000, 12000),
    wrapper: () => fx.breakeven(100000, 2000, 12000),
  },
  { name: "TOKENS(750)", engine: () => tokensFromWords(750), wrapper: () => fx.tokens(750) },
  { name: "WORDS(1000)", engine: () => wordsFromTokens(1000), wrapper: () => fx.words(1000) },
  {
    name: "E2E(358, 9.5, 2000)",
    engine: () => endToEndLatency(358, 9.5, 2000),
    wrapper: () => fx.e2e(358, 9.5, 2000),
  },
  {
    name: "CONCURRENCY(1.5, 20)",
    engine: () => concurrencyFromLittle(1.5, 20),
    wrapper: () => fx.concurrency(1.5, 20),
  },
  {
    name: "TPSIZE(168, 80)",
    engine: () => tensorParallelSize(168, 80),
    wrapper: () => fx.tpsize(168, 80),
  },
  {
    name: "SYSTEMS(15, 7.5)",
    engine: () => systemsNeeded(15, 7.5),
    wrapper: () => fx.systems(15, 7.5),
  },
];

export function run(): void {
  section(
    "Guide functions: Excel wrapper vs bare engine call (ratio = wrapper cost ÷ engine cost)"
  );
  for (const pair of PAIRS) {
    const engine = measure(`engine  ${pair.name}`, pair.engine);
    const wrapper = measure(`wrapper ${pair.name}`, pair.wrapper);
    report(engine);
    const ratio = engine.callsPerSecond / wrapper.callsPerSecond;
    const overheadNs = (wrapper.microsecondsPerCall - engine.microsecondsPerCall) * 1000;
    report(wrapper);
    console.log(
      `${"".padEnd(58)} wrapper/engine time ratio ${ratio.toFixed(2)}× (+${overheadNs.toFixed(0)} ns per call)${ratio > 2 ? "  above the 2× target" : ""}`
    );
  }
}
