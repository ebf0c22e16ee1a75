import { readdirSync } from 'node:fs'
import path from 'node:path'
import importX, { createNodeResolver } from 'eslint-plugin-import-x'
import neostandard from 'neostandard'

// One lint configuration for the whole repository: neostandard (the Fastify ecosystem's
// style) with its style rules set to the code's existing style, and the module boundaries of
// DESIGN.md ("Layout") as import rules.

const root = import.meta.dirname
const at = (...segments) => path.join(root, ...segments)

// The pure rule and mapper files: no Fastify, no SQL.
const PURE_FILES = [
  'src/lib/**',
  'src/vocabularies/**',
  'src/modules/*/{rules,compliance,lifecycle,content,mappers,preparation}.ts',
  'src/modules/webhooks/{signing,backoff,payloads,urls}.ts',
]
const PURE_MESSAGE = 'Pure rule and mapper files know neither HTTP nor SQL (DESIGN.md, "Layout").'

// Every module folder gets its own zone, so that a module may use its own files freely and
// another module's only through that module's index.ts.
const MODULES = readdirSync(at('src/modules'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

const moduleZones = MODULES.map((name) => ({
  target: at('src/modules', name, '**'),
  from: at('src/modules', `!(${name})`, '**'),
  except: [at('src/modules/*/index.ts')],
  message: 'Another module is reached only through its index.ts ("../<module>/index.js").',
}))

export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'data/**', 'migrations/**', 'openapi/**', '.tap/**'],
  }),

  {
    name: 'passerelle/style',
    rules: {
      // The code puts trailing commas after the last item of every multi-line list (arguments
      // and parameters included), and no space between a function's name and its parameters.
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/space-before-function-paren': ['error', { anonymous: 'always', named: 'never', asyncArrow: 'always' }],
      // SQL holding single-quoted literals is written as a template string rather than escaped.
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: true }],
      // `void promise` marks a promise deliberately left running.
      'no-void': ['error', { allowAsStatement: true }],
    },
  },

  {
    name: 'passerelle/typescript',
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      // A TypeBox schema and its static type share a name (`const Offer = Type.Object(…)`,
      // `type Offer = Static<typeof Offer>`); the compiler already rejects real redeclarations.
      '@typescript-eslint/no-redeclare': 'off',
    },
  },

  {
    name: 'passerelle/boundaries',
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    plugins: { 'import-x': importX },
    settings: {
      // Resolves `./x.js` to `./x.ts`, as TypeScript's NodeNext resolution does, so that the
      // rule below sees the real file (an import it cannot resolve is never reported).
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.node'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', {
        zones: [
          ...moduleZones,
          {
            // test/ may import anything: it unit-tests pure rule files directly.
            target: [at('src/!(modules)/**'), at('src/*.ts'), at('scripts/**'), at('*.ts')],
            from: at('src/modules/**'),
            except: [at('src/modules/*/index.ts')],
            message: 'Outside src/modules, a module is reached only through its index.ts.',
          },
          {
            target: at('src/modules/*/routes.ts'),
            from: at('src/db/**'),
            message: 'Routes do not touch the database: they call their module service.',
          },
          {
            target: PURE_FILES.map((pattern) => at(pattern)),
            from: at('src/db/**'),
            message: PURE_MESSAGE,
          },
          {
            // (src/lib/** → src/db/** is the zone above.)
            target: at('src/lib/**'),
            from: [at('src/plugins/**'), at('src/modules/**')],
            message: 'src/lib holds pure helpers: it imports nothing from plugins, modules or the database.',
          },
        ],
      }],
    },
  },

  {
    // The benchmark measures the repositories' own statements (EXPLAIN of the hot queries; the
    // bare-Fastify limit runs the by-id statement as the service builds it), so these two
    // developer tools read repositories directly.
    name: 'passerelle/benchmark-internals',
    files: ['scripts/lib/bench-explain.ts', 'scripts/lib/bench-bare-server.ts'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },

  {
    name: 'passerelle/pure-files',
    files: PURE_FILES,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: [
            'fastify', 'fastify/*', 'fastify-plugin', '@fastify/*',
            'drizzle-orm', 'drizzle-orm/*', 'pg', 'pg/*', '@electric-sql/pglite', '@electric-sql/pglite/*',
          ],
          message: PURE_MESSAGE,
        }],
      }],
    },
  },
]
