/** Unit, wrapper, metadata and (when the programs are present) LibreOffice and browser suites. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/reference/"],
  setupFiles: ["<rootDir>/test/setup/custom-functions-global.ts"],
  moduleNameMapper: {
    "^office-addin-manifest$": "<rootDir>/test/setup/office-addin-manifest-stub.ts",
  },
  // Transpile only (isolatedModules): type errors are caught once by `npm run typecheck`, not per test file.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.jest.json" }] },
};
