/** Unit, wrapper, metadata and (when the programs are present) LibreOffice and browser suites. */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/reference/"],
  setupFiles: ["<rootDir>/test/setup/custom-functions-global.ts"],
  moduleNameMapper: {
    "^office-addin-manifest$": "<rootDir>/test/setup/office-addin-manifest-stub.ts",
  },
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: { warnOnly: false } }] },
};
