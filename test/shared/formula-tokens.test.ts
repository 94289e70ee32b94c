/**
 * The formula tokenizer on a corpus of real formula shapes: nested calls, strings that look like
 * calls, quoted sheet names, a sheet called LLM, another add-in's LLMX namespace, structured
 * references with brackets and quotes, array constants, error literals, spill references, names.
 */
import {
  isLlmFunctionName,
  llmFunctionCalls,
  namesInFormula,
  tokenizeFormula,
} from "../../src/shared/formula-tokens";

const CORPUS: readonly [string, readonly string[]][] = [
  ['=LLM.MEMORY(70,"FP16")', ["LLM.MEMORY"]],
  ['=ROUND(LLM.MEMORY(70,"FP16"),0)', ["LLM.MEMORY"]],
  ["=IFERROR(LLM.PEAKRPS(B9),0)", ["LLM.PEAKRPS"]],
  ["=SUM(LLM.ONPREMTOKENCOST(B2,B3,B4))", ["LLM.ONPREMTOKENCOST"]],
  ["=-LLM.MEMORY(70)", ["LLM.MEMORY"]],
  ["=1+llm.memory(8)*2", ["llm.memory"]],
  ["=(LLM.PEAKRPS(1))", ["LLM.PEAKRPS"]],
  ["=_xldudf_LLM_MEMORY(70)", ["_xldudf_LLM_MEMORY"]],
  ["=CONTOSO.LLM.MEMORY(70)", ["CONTOSO.LLM.MEMORY"]],
  ['="LLM.MEMORY(70)"', []],
  ['=CONCAT("=LLM.MEMORY(",A1,")")', []],
  ["='LLM Data'!A1+LLM!B2", []],
  ["=LLM!A1*2", []],
  ["=LLMX.MEMORY(70)", []],
  ["=MYLLM.MEMORY(70)", []],
  ["=SUM(Table1[[#This Row],[LLM.MEMORY(]])", []],
  ["=Costs[@[Cost (USD)]]*LLM.COSTPER1M(1,2)", ["LLM.COSTPER1M"]],
  ["={1,2;3,4}*LLM.MEMORY(7)", ["LLM.MEMORY"]],
  ["=IF(ISERROR(A1),#N/A,LLM.TPSIZE(70,80))", ["LLM.TPSIZE"]],
  ['=SUM(A1#)+LLM.GPU("H100")', ["LLM.GPU"]],
  ["='It''s LLM.MEMORY('!A1", []],
  ["=[Book1.xlsx]Sheet1!A1+LLM.MEMORY(1)", ["LLM.MEMORY"]],
  ["=mem*2", []],
  ["=LET(x,LLM.MEMORY(70),x*2)", ["LLM.MEMORY"]],
];

describe("tokenizeFormula", () => {
  it.each(CORPUS)("%s calls %j", (formula, calls) => {
    expect(llmFunctionCalls(formula)).toEqual(calls);
  });

  it.each(CORPUS)("covers %s exactly", (formula) => {
    expect(
      tokenizeFormula(formula)
        .map((t) => t.text)
        .join("")
    ).toBe(formula);
  });

  it("tells sheets, references, names, functions, strings and errors apart", () => {
    const kinds = tokenizeFormula(
      "='My Sheet'!$B$9+LLM!A:C+Rate*SUM(3:5)+\"x\"&#REF!&TRUE+Table1[Col]"
    )
      .filter((t) => t.kind !== "operator")
      .map((t) => `${t.kind}:${t.text}`);
    expect(kinds).toEqual([
      "sheet:'My Sheet'!",
      "reference:$B$9",
      "sheet:LLM!",
      "reference:A:C",
      "name:Rate",
      "function:SUM",
      "reference:3:5",
      'string:"x"',
      "error:#REF!",
      "boolean:TRUE",
      "name:Table1",
      "structured:[Col]",
    ]);
  });

  it("finds the names a formula uses, not cells, functions or sheet prefixes", () => {
    expect(namesInFormula("=mem*2+SUM(B2:B3)+LOG10(x1y)+Data!Rate+Params_B")).toEqual([
      "mem",
      "x1y",
      "Params_B",
    ]);
  });

  it("recognises only this add-in's namespace", () => {
    expect(isLlmFunctionName("LLM.MEMORY")).toBe(true);
    expect(isLlmFunctionName("LLMX.MEMORY")).toBe(false);
    expect(isLlmFunctionName("LLM")).toBe(false);
    expect(isLlmFunctionName("_xldudf_CONTOSO_LLM_MEMORY")).toBe(true);
  });
});
