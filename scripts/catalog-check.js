/* global require, process, console, __dirname */
/**
 * `npm run catalog:check [-- --today=YYYY-MM-DD]`: the catalog's freshness report. Lists every price
 * with its date and age in months, every model, GPU and server with the day it was last reviewed
 * against its sources, and then the prices older than 12 months and the undated ones. Today defaults to
 * the machine's date. Exits 1 only when an entry's date cannot be read (a malformed catalog), so the
 * report can run in CI without failing on age alone.
 */
const fs = require("fs");
const path = require("path");

const CATALOG = path.join(__dirname, "..", "src", "catalog");
const read = (file) => JSON.parse(fs.readFileSync(path.join(CATALOG, file), "utf8"));

function monthIndex(date) {
  const m = /^(\d{4})-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?$/.exec(String(date));
  return m === null ? undefined : Number(m[1]) * 12 + Number(m[2]) - 1;
}

function main(argv) {
  const todayArg = argv.find((a) => a.startsWith("--today="));
  const today = todayArg
    ? todayArg.slice("--today=".length)
    : new Date().toISOString().slice(0, 10);
  const now = monthIndex(today);
  if (now === undefined) {
    console.error(`catalog:check: --today must be YYYY-MM-DD; got '${today}'`);
    return 2;
  }
  const reviewedLine = fs
    .readFileSync(path.join(CATALOG, "catalog.ts"), "utf8")
    .match(/CATALOG_REVIEWED = "([\d-]+)"/);
  const out = [];
  let malformed = 0;
  out.push(`Catalog freshness report for ${today}`);
  out.push(`Catalog last reviewed: ${reviewedLine ? reviewedLine[1] : "unknown"}`);
  out.push("");

  const prices = read("prices.json");
  const old = [];
  const undated = [];
  out.push(`Prices (${prices.length}): name | price | date | age`);
  for (const p of prices) {
    const figure =
      p.kind === "api"
        ? `$${p.usdPer1MInput} in / $${p.usdPer1MOutput} out` +
          (p.usdPer1MCachedInput !== undefined ? ` / $${p.usdPer1MCachedInput} cached` : "") +
          " per 1M"
        : `$${p.usdPerGpuHour} per GPU-hour (${p.gpu})`;
    let age = "undated";
    if (p.observed !== undefined) {
      const then = monthIndex(p.observed);
      if (then === undefined) {
        malformed++;
        age = `UNREADABLE observed '${p.observed}'`;
      } else {
        const months = now - then;
        age = `${months} months`;
        if (months > 12) old.push(`${p.name} (${p.date}; ${months} months)`);
      }
    } else {
      undated.push(`${p.name} (${p.date})`);
    }
    out.push(`  ${p.name} | ${figure} | ${p.date} | ${age}`);
  }
  out.push("");
  for (const [file, label] of [
    ["models.json", "Models"],
    ["gpus.json", "GPUs"],
    ["servers.json", "Servers"],
  ]) {
    const entries = read(file);
    out.push(`${label} (${entries.length}): name | last reviewed | age | unverified`);
    for (const e of entries) {
      let age = "never reviewed";
      if (e.reviewed !== undefined) {
        const then = monthIndex(e.reviewed);
        if (then === undefined) {
          malformed++;
          age = `UNREADABLE reviewed '${e.reviewed}'`;
        } else age = `${now - then} months`;
      }
      const flag = e.unverified ? `UNVERIFIED: ${e.unverified.slice(0, 80)}` : "";
      out.push(`  ${e.name} | ${e.reviewed ?? "-"} | ${age} | ${flag}`);
    }
    out.push("");
  }
  out.push(`Prices older than 12 months (${old.length}):`);
  for (const line of old) out.push(`  ${line}`);
  out.push(`Undated prices (${undated.length}):`);
  for (const line of undated) out.push(`  ${line}`);
  if (malformed > 0) out.push(`${malformed} entries have a date that cannot be read`);
  console.log(out.join("\n"));
  return malformed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
