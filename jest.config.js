/** Unit, wrapper, metadata and (when the programs are present) LibreOffice and browser suites. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  // The machine is shared (2 cores, several test runs at once): a workbook build and render can take
  // more than Jest's default 5 s there. Speed is measured in `npm run bench`, not by timeouts.
  testTimeout: 30000,
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/reference/"],
  setupFiles: ["<rootDir>/test/setup/custom-functions-global.ts"],
  moduleNameMapper: {
    "^office-addin-manifest$": "<rootDir>/test/setup/office-addin-manifest-stub.ts",
  },
  // Transpile only (isolatedModules): type errors are caught once by `npm run typecheck`, not per test file.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.jest.json" }] },
};
