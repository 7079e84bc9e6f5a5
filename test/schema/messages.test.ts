import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { detectMessageDialect, toChatMessages, toolCallNames, type ChatMessage, type ChatRole, type MessageDialect } from '../../src/schema/messages'
import { generateEvents } from '../../src/testing'

/** Base64 of a PNG of `byteSize` bytes: the PNG signature, then filler. */
function pngBase64(byteSize: number): string {
  const bytes = Buffer.alloc(byteSize, 1)
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes)
  return bytes.toString('base64')
}

const PNG = pngBase64(1500)
const PNG_MEDIA = { type: 'media', mediaType: 'image/png', placeholder: '[image/png base64, 1.5 kB]', byteSize: 1500 } as const
const PDF = Buffer.from('%PDF-1.7 fake document body').toString('base64')

type Case = [name: string, input: unknown, expected: ChatMessage[]]

const user = (text: string): ChatMessage => ({ role: 'user', parts: [{ type: 'text', text }] })
const system = (text: string): ChatMessage => ({ role: 'system', parts: [{ type: 'text', text }] })
const assistant = (text: string): ChatMessage => ({ role: 'assistant', parts: [{ type: 'text', text }] })

const openAiChat: Case[] = [
  ['system and user strings', [{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: 'Weather in Paris?' }], [system('You are helpful.'), user('Weather in Paris?')]],
  [
    'text and image_url parts, by URL and as a data URL',
    [{ role: 'user', content: [{ type: 'text', text: 'Compare' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } }] }],
    [{ role: 'user', parts: [{ type: 'text', text: 'Compare' }, { type: 'media', mediaType: 'image/jpeg', placeholder: '[image/jpeg: https://example.com/cat.jpg]' }, PNG_MEDIA] }],
  ],
  [
    'an assistant turn that only calls tools',
    [{ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }],
    [{ role: 'assistant', parts: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', argumentsJson: '{"city":"Paris"}' }] }],
  ],
  [
    'a tool message answering a call',
    [{ role: 'tool', tool_call_id: 'call_1', content: '{"temp":18}' }],
    [{ role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_1', text: '{"temp":18}' }] }],
  ],
  [
    'developer role, names, and a tool message with text parts',
    [{ role: 'developer', content: 'Terse.' }, { role: 'user', name: 'alice', content: 'hi' }, { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'line 1' }, { type: 'text', text: 'line 2' }] }],
    [system('Terse.'), { ...user('hi'), name: 'alice' }, { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_2', text: 'line 1\nline 2' }] }],
  ],
  [
    'the legacy function role and function_call',
    [{ role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '{"q":1}' } }, { role: 'function', name: 'lookup', content: 'found' }],
    [{ role: 'assistant', parts: [{ type: 'tool-call', name: 'lookup', argumentsJson: '{"q":1}' }] }, { role: 'tool', name: 'lookup', parts: [{ type: 'tool-result', name: 'lookup', text: 'found' }] }],
  ],
  [
    'audio input, a file by id and a refusal',
    [
      { role: 'user', content: [{ type: 'input_audio', input_audio: { data: PNG, format: 'wav' } }, { type: 'file', file: { file_id: 'file-abc123', filename: 'report.pdf' } }] },
      { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
    ],
    [
      { role: 'user', parts: [{ type: 'media', mediaType: 'audio/wav', placeholder: '[audio/wav base64, 1.5 kB]', byteSize: 1500 }, { type: 'media', mediaType: 'application/pdf', placeholder: '[application/pdf file-abc123]' }] },
      assistant('I cannot help with that.'),
    ],
  ],
  [
    'malformed tool calls: invalid JSON arguments kept raw, a non-object call as unknown',
    [{ role: 'assistant', content: '', tool_calls: [{ id: 'call_3', function: { name: 'f', arguments: '{"city": Par' } }, 42] }],
    [{ role: 'assistant', parts: [{ type: 'tool-call', id: 'call_3', name: 'f', argumentsJson: '{"city": Par' }, { type: 'unknown', json: '42' }] }],
  ],
  [
    'a chat completion response, read through its choices',
    { id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }] },
    [assistant('Hello!')],
  ],
]

const openAiResponses: Case[] = [
  ['instructions and a string input', { model: 'gpt-5', instructions: 'Be brief.', input: 'Hi' }, [system('Be brief.'), user('Hi')]],
  [
    'input_text and input_image parts',
    [{ role: 'user', content: [{ type: 'input_text', text: 'What is in this image?' }, { type: 'input_image', image_url: 'https://example.com/dog.png' }] }],
    [{ role: 'user', parts: [{ type: 'text', text: 'What is in this image?' }, { type: 'media', mediaType: 'image/png', placeholder: '[image/png: https://example.com/dog.png]' }] }],
  ],
  [
    'a function call and its output',
    [
      { type: 'function_call', id: 'fc_1', call_id: 'call_9', name: 'lookup_order', arguments: '{"id":"A1"}' },
      { type: 'function_call_output', call_id: 'call_9', output: '{"status":"shipped"}' },
    ],
    [
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'call_9', name: 'lookup_order', argumentsJson: '{"id":"A1"}' }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_9', text: '{"status":"shipped"}' }] },
    ],
  ],
  [
    'reasoning with a summary, and encrypted reasoning',
    [
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Compare the two orders.' }] },
      { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: 'gAAAAB…' },
    ],
    [
      { role: 'assistant', parts: [{ type: 'reasoning', text: 'Compare the two orders.' }] },
      { role: 'assistant', parts: [{ type: 'reasoning', text: '', redacted: true }] },
    ],
  ],
  [
    'a response with an output message and a built-in web search',
    {
      id: 'resp_1',
      object: 'response',
      output: [
        { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'weather paris' } },
        { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Rainy, 12°C.', annotations: [] }] },
      ],
    },
    [
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'ws_1', name: 'web_search', argumentsJson: '{"action":{"type":"search","query":"weather paris"}}' }] },
      assistant('Rainy, 12°C.'),
    ],
  ],
  [
    'an MCP call with its error, and a custom tool call',
    [
      { type: 'mcp_call', id: 'mcp_1', server_label: 'docs', name: 'search', arguments: '{"q":"x"}', error: 'server down' },
      { type: 'custom_tool_call', call_id: 'ct_1', name: 'run_sql', input: 'SELECT 1' },
    ],
    [
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'mcp_1', name: 'search', argumentsJson: '{"q":"x"}' }, { type: 'tool-result', toolCallId: 'mcp_1', name: 'search', text: 'server down', isError: true }] },
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'ct_1', name: 'run_sql', argumentsJson: 'SELECT 1' }] },
    ],
  ],
  [
    'malformed: an item reference and an output given as parts',
    [{ type: 'item_reference', id: 'msg_0' }, { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'done' }, { type: 'input_image', image_url: `data:image/png;base64,${PNG}` }] }],
    [
      { role: 'unknown', parts: [{ type: 'unknown', json: '{"type":"item_reference","id":"msg_0"}' }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_1', text: 'done' }, PNG_MEDIA] },
    ],
  ],
]

const postHogOutput: Case[] = [
  [
    'the OpenAI wrapper output of §1.4',
    [{ role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'function', id: 'call_1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }],
    [{ role: 'assistant', parts: [{ type: 'text', text: 'Let me check.' }, { type: 'tool-call', id: 'call_1', name: 'get_weather', argumentsJson: '{"city":"Paris"}' }] }],
  ],
  ['a failed call (no choices)', [], []],
  ['privacy mode (null)', null, []],
  [
    'an image the SDK redacted',
    [{ role: 'assistant', content: [{ type: 'image', image: '[base64 image redacted]' }] }],
    [{ role: 'assistant', parts: [{ type: 'media', mediaType: 'image/*', placeholder: '[base64 image redacted]' }] }],
  ],
  [
    'an image aiscope replaced at ingestion',
    [{ role: 'assistant', content: [{ type: 'image', image: '[image/png base64, 48.2 kB]' }] }],
    [{ role: 'assistant', parts: [{ type: 'media', mediaType: 'image/png', placeholder: '[image/png base64, 48.2 kB]', byteSize: 48_200 }] }],
  ],
  [
    'audio with a transcript',
    [{ role: 'assistant', content: [{ type: 'audio', data: PNG, format: 'wav', transcript: 'Hello there' }] }],
    [{ role: 'assistant', parts: [{ type: 'media', mediaType: 'audio/wav', placeholder: '[audio/wav base64, 1.5 kB]', byteSize: 1500 }, { type: 'text', text: 'Hello there' }] }],
  ],
  ['a JSON string of output choices, as exports hold them', JSON.stringify([{ role: 'assistant', content: [{ type: 'text', text: 'Hi' }] }]), [assistant('Hi')]],
  [
    'malformed: a function part without its function, a choice without a role',
    [{ role: 'assistant', content: [{ type: 'function', id: 'call_x' }] }, { content: 'no role here' }],
    [{ role: 'assistant', parts: [{ type: 'tool-call', id: 'call_x', name: '', argumentsJson: '{}' }] }, assistant('no role here')],
  ],
]

const anthropic: Case[] = [
  ['a request with a system string', { model: 'claude-sonnet-4-5', system: 'You are Claude.', messages: [{ role: 'user', content: 'Hi' }] }, [system('You are Claude.'), user('Hi')]],
  ['system blocks with cache control', { system: [{ type: 'text', text: 'Be terse.', cache_control: { type: 'ephemeral' } }], messages: [] }, [system('Be terse.')]],
  [
    'a base64 image and text',
    [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'text', text: 'Describe it.' }] }],
    [{ role: 'user', parts: [PNG_MEDIA, { type: 'text', text: 'Describe it.' }] }],
  ],
  [
    'thinking, text and tool use',
    [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'Need the weather.', signature: 'sig' }, { type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }] }],
    [{ role: 'assistant', parts: [{ type: 'reasoning', text: 'Need the weather.' }, { type: 'text', text: 'Checking.' }, { type: 'tool-call', id: 'toolu_01', name: 'get_weather', argumentsJson: '{"city":"Paris"}' }] }],
  ],
  [
    'a tool result as a string, in a user turn',
    [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '18°C' }] }],
    [{ role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'toolu_01', text: '18°C' }] }],
  ],
  [
    'a failed tool result with text and image blocks',
    [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_02', is_error: true, content: [{ type: 'text', text: 'not found' }, { type: 'image', source: { type: 'url', url: 'https://example.com/y.png' } }] }] }],
    [{ role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'toolu_02', text: 'not found', isError: true }, { type: 'media', mediaType: 'image/png', placeholder: '[image/png: https://example.com/y.png]' }] }],
  ],
  [
    'redacted thinking, documents and a server tool',
    [
      {
        role: 'assistant',
        content: [
          { type: 'redacted_thinking', data: 'EmwKAhgB…' },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'paris' } },
          { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', title: 'Paris', url: 'https://example.com' }] },
        ],
      },
      { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF } }, { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Plain notes.' } }] },
    ],
    [
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: '', redacted: true },
          { type: 'tool-call', id: 'srvtoolu_1', name: 'web_search', argumentsJson: '{"query":"paris"}' },
          { type: 'tool-result', toolCallId: 'srvtoolu_1', name: 'web_search', text: '{"type":"web_search_result","title":"Paris","url":"https://example.com"}' },
        ],
      },
      { role: 'user', parts: [{ type: 'media', mediaType: 'application/pdf', placeholder: '[application/pdf base64, 27 B]', byteSize: 27 }, { type: 'text', text: 'Plain notes.' }] },
    ],
  ],
  [
    'malformed: an unknown block and an image without a source',
    [{ role: 'user', content: [{ type: 'container_upload', file_id: 'f_1' }, { type: 'image' }] }],
    [{ role: 'user', parts: [{ type: 'unknown', json: '{"type":"container_upload","file_id":"f_1"}' }, { type: 'media', mediaType: 'image/*', placeholder: '[image/*]' }] }],
  ],
]

const gemini: Case[] = [
  [
    'contents with a system instruction',
    { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }, { role: 'model', parts: [{ text: 'Hello!' }] }], systemInstruction: { parts: [{ text: 'Be kind.' }] } },
    [system('Be kind.'), user('Hi'), assistant('Hello!')],
  ],
  [
    'inline image data',
    [{ role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data: PNG } }] }],
    [{ role: 'user', parts: [{ type: 'text', text: 'What is this?' }, PNG_MEDIA] }],
  ],
  [
    'a function call and its response',
    [
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 18 } } }] },
    ],
    [
      { role: 'assistant', parts: [{ type: 'tool-call', name: 'get_weather', argumentsJson: '{"city":"Paris"}' }] },
      { role: 'tool', parts: [{ type: 'tool-result', name: 'get_weather', text: '{"temp":18}' }] },
    ],
  ],
  [
    'thoughts and a file by URI',
    [{ role: 'model', parts: [{ text: 'Let me think.', thought: true }, { text: 'Answer.' }] }, { role: 'user', parts: [{ fileData: { mimeType: 'application/pdf', fileUri: 'gs://bucket/doc.pdf' } }] }],
    [{ role: 'assistant', parts: [{ type: 'reasoning', text: 'Let me think.' }, { type: 'text', text: 'Answer.' }] }, { role: 'user', parts: [{ type: 'media', mediaType: 'application/pdf', placeholder: '[application/pdf: gs://bucket/doc.pdf]' }] }],
  ],
  [
    'snake_case parts from the Python SDK',
    [{ role: 'user', parts: [{ inline_data: { mime_type: 'image/png', data: PNG } }, { function_response: { name: 'f', response: { ok: true } } }] }],
    [{ role: 'tool', parts: [PNG_MEDIA, { type: 'tool-result', name: 'f', text: '{"ok":true}' }] }],
  ],
  ['contents as a single string', { contents: 'Why is the sky blue?' }, [user('Why is the sky blue?')]],
  [
    'code execution',
    [{ role: 'model', parts: [{ executableCode: { language: 'PYTHON', code: 'print(1)' } }, { codeExecutionResult: { outcome: 'OUTCOME_FAILED', output: 'NameError' } }] }],
    [{ role: 'assistant', parts: [{ type: 'tool-call', name: 'code_execution', argumentsJson: '{"language":"PYTHON","code":"print(1)"}' }, { type: 'tool-result', name: 'code_execution', text: 'NameError', isError: true }] }],
  ],
  [
    'a response read through its candidates',
    { candidates: [{ content: { role: 'model', parts: [{ text: 'Sunny.' }] }, finishReason: 'STOP' }] },
    [assistant('Sunny.')],
  ],
  [
    'malformed: a part with no known key',
    [{ role: 'user', parts: [{ videoMetadata: { fps: 2 } }] }],
    [{ role: 'user', parts: [{ type: 'unknown', json: '{"videoMetadata":{"fps":2}}' }] }],
  ],
]

const vercel: Case[] = [
  ['system and user strings', [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], [system('Be brief.'), user('Hi')]],
  [
    'an image by URL and a file as base64',
    [{ role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', image: 'https://example.com/a.webp' }, { type: 'file', data: PDF, mediaType: 'application/pdf', filename: 'a.pdf' }] }],
    [{ role: 'user', parts: [{ type: 'text', text: 'Look' }, { type: 'media', mediaType: 'image/webp', placeholder: '[image/webp: https://example.com/a.webp]' }, { type: 'media', mediaType: 'application/pdf', placeholder: '[application/pdf base64, 27 B]', byteSize: 27 }] }],
  ],
  [
    'reasoning and an AI SDK 4 tool call (args)',
    [{ role: 'assistant', content: [{ type: 'reasoning', text: 'Search first.' }, { type: 'tool-call', toolCallId: 'tc1', toolName: 'search', args: { q: 'x' } }] }],
    [{ role: 'assistant', parts: [{ type: 'reasoning', text: 'Search first.' }, { type: 'tool-call', id: 'tc1', name: 'search', argumentsJson: '{"q":"x"}' }] }],
  ],
  [
    'an AI SDK 5 tool call (input)',
    [{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'tc2', toolName: 'search', input: { q: 'y' } }] }],
    [{ role: 'assistant', parts: [{ type: 'tool-call', id: 'tc2', name: 'search', argumentsJson: '{"q":"y"}' }] }],
  ],
  [
    'an AI SDK 4 tool result (result)',
    [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tc1', toolName: 'search', result: { hits: 3 } }] }],
    [{ role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'tc1', name: 'search', text: '{"hits":3}' }] }],
  ],
  [
    'AI SDK 5 tool outputs: error text and content with media',
    [
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'tc2', toolName: 'search', output: { type: 'error-text', value: 'timeout' } },
          { type: 'tool-result', toolCallId: 'tc3', toolName: 'screenshot', output: { type: 'content', value: [{ type: 'text', text: 'Here:' }, { type: 'media', data: PNG, mediaType: 'image/png' }] } },
        ],
      },
    ],
    [
      {
        role: 'tool',
        parts: [
          { type: 'tool-result', toolCallId: 'tc2', name: 'search', text: 'timeout', isError: true },
          { type: 'tool-result', toolCallId: 'tc3', name: 'screenshot', text: 'Here:' },
          PNG_MEDIA,
        ],
      },
    ],
  ],
  [
    'redacted reasoning and image bytes',
    [{ role: 'assistant', content: [{ type: 'redacted-reasoning', data: 'xyz' }] }, { role: 'user', content: [{ type: 'image', image: new Uint8Array(2048), mimeType: 'image/jpeg' }] }],
    [{ role: 'assistant', parts: [{ type: 'reasoning', text: '', redacted: true }] }, { role: 'user', parts: [{ type: 'media', mediaType: 'image/jpeg', placeholder: '[image/jpeg bytes, 2.0 kB]', byteSize: 2048 }] }],
  ],
  [
    'malformed: a tool call without a name, a part of an unknown type',
    [{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'tc9' }, { type: 'step-start' }] }],
    [{ role: 'assistant', parts: [{ type: 'tool-call', id: 'tc9', name: '', argumentsJson: '{}' }, { type: 'unknown', json: '{"type":"step-start"}' }] }],
  ],
]

const plainText: Case[] = [
  ['a string', 'Hello', [user('Hello')]],
  ['an embedding input list', ['auto-assignment rule', 'VIP customers'], [user('auto-assignment rule'), user('VIP customers')]],
  ['an empty string', '', []],
  ['a JSON-looking string that is not messages', '{"not": "messages"}', [user('{"not": "messages"}')]],
  ['a number', 42, [user('42')]],
  [
    'a list holding an aiscope truncation marker',
    [{ role: 'system', content: 'S' }, '[truncated by aiscope: 3 of 5 items removed]', { role: 'user', content: 'U' }],
    [system('S'), { role: 'unknown', parts: [{ type: 'text', text: '[truncated by aiscope: 3 of 5 items removed]' }] }, user('U')],
  ],
]

const otelGenAi: Case[] = [
  [
    'gen_ai.input.messages with a tool round trip',
    [
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }], finish_reason: 'tool_call' },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'rainy' }] },
    ],
    [
      user('Weather in Paris?'),
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'get_weather', argumentsJson: '{"city":"Paris"}' }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'c1', text: 'rainy' }] },
    ],
  ],
  [
    'blob and uri parts',
    [{ role: 'user', parts: [{ type: 'blob', modality: 'image', mime_type: 'image/png', content: PNG }, { type: 'uri', modality: 'image', uri: 'https://example.com/x.gif' }] }],
    [{ role: 'user', parts: [PNG_MEDIA, { type: 'media', mediaType: 'image/gif', placeholder: '[image/gif: https://example.com/x.gif]' }] }],
  ],
]

describe.each<[string, Case[], ChatRole]>([
  ['OpenAI chat', openAiChat, 'user'],
  ['OpenAI Responses', openAiResponses, 'user'],
  ["PostHog's output format (read as output)", postHogOutput, 'assistant'],
  ['Anthropic', anthropic, 'user'],
  ['Gemini', gemini, 'user'],
  ['the Vercel AI SDK', vercel, 'user'],
  ['plain strings', plainText, 'user'],
  ['OTel GenAI', otelGenAi, 'user'],
])('toChatMessages reads %s', (_, cases, defaultRole) => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(toChatMessages(input, { defaultRole })).toEqual(expected)
  })
})

describe('toChatMessages on hostile values', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withTypedArray: true, withMap: true, withSet: true, withNullPrototype: true, withDate: true, withBoxedValues: true, withSparseArray: true }), (value) => {
        const messages = toChatMessages(value)
        expect(Array.isArray(messages)).toBe(true)
        for (const message of messages) {
          expect(['system', 'user', 'assistant', 'tool', 'unknown']).toContain(message.role)
          for (const part of message.parts) {
            expect(JSON.parse(JSON.stringify(part))).toEqual(part)
          }
        }
        expect(typeof detectMessageDialect(value)).toBe('string')
      }),
      { numRuns: 2_000, seed: 7 },
    )
  })

  it('turns a Proxy that throws on every trap into an unknown message', () => {
    const hostile = new Proxy([], {
      get() {
        throw new Error('nope')
      },
      ownKeys() {
        throw new Error('nope')
      },
    })
    expect(toChatMessages(hostile)).toEqual([{ role: 'unknown', parts: [{ type: 'unknown', json: '"[removed by aiscope: reading it threw Error: nope]"' }] }])
    expect(detectMessageDialect(hostile)).toBe('unknown')
  })

  it('survives cycles and deep nesting in tool arguments', () => {
    const args: Record<string, unknown> = { city: 'Paris' }
    args.self = args
    const [message] = toChatMessages([{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: args }] }])
    expect(message?.parts).toEqual([{ type: 'tool-call', id: 't', name: 'f', argumentsJson: '{"city":"Paris","self":"[removed by aiscope: circular reference]"}' }])
  })

  it('writes no HTML and no bytes: markup stays text, base64 becomes a placeholder', () => {
    const messages = toChatMessages([{ role: 'user', content: [{ type: 'text', text: '<img src=x onerror=alert(1)>' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] }])
    expect(messages[0]?.parts[0]).toEqual({ type: 'text', text: '<img src=x onerror=alert(1)>' })
    expect(JSON.stringify(messages)).not.toContain(PNG.slice(0, 64))
  })
})

describe('detectMessageDialect', () => {
  it.each<[string, unknown, MessageDialect, string?]>([
    ['OpenAI tool calls', openAiChat[2]?.[1], 'openai-chat'],
    ['plain role/content messages', [{ role: 'user', content: 'hi' }], 'openai-chat'],
    ['plain messages with an Anthropic provider hint', [{ role: 'user', content: 'hi' }], 'anthropic', 'anthropic'],
    ['Responses items', openAiResponses[2]?.[1], 'openai-responses'],
    ['a Responses request', openAiResponses[0]?.[1], 'openai-responses'],
    ["PostHog's output format", postHogOutput[0]?.[1], 'posthog'],
    ['Anthropic blocks', anthropic[3]?.[1], 'anthropic'],
    ['Gemini contents', gemini[0]?.[1], 'gemini'],
    ['Gemini parts', gemini[2]?.[1], 'gemini'],
    ['Vercel parts', vercel[2]?.[1], 'vercel-ai'],
    ['OTel parts', otelGenAi[0]?.[1], 'otel-genai'],
    ['a string', 'hello', 'text'],
    ['strings', ['a', 'b'], 'text'],
    ['nothing', null, 'empty'],
    ['an empty list', [], 'empty'],
    ['an unrelated object', { temperature: 1 }, 'unknown'],
  ])('names %s', (_, value, dialect, provider) => {
    expect(detectMessageDialect(value, provider === undefined ? undefined : { provider })).toBe(dialect)
  })
})

describe('toolCallNames', () => {
  it('lists tool names in call order across dialects, leaving out unnamed calls', () => {
    const output = [
      { role: 'assistant', content: [{ type: 'function', id: 'call_1', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'search_docs', input: {} }] },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'x' }] },
      { type: 'function_call', call_id: 'c', name: 'lookup_order', arguments: '{}' },
    ]
    expect(toolCallNames(output)).toEqual(['get_weather', 'search_docs', 'lookup_order'])
  })
})

describe('toChatMessages on realistic telemetry', () => {
  it('reads every generated input and output without unknown parts', () => {
    for (const event of generateEvents({ size: 2_000, seed: 3 })) {
      for (const key of ['$ai_input', '$ai_output_choices'] as const) {
        const value = event.properties[key]
        if (value === undefined) {
          continue
        }
        const messages = toChatMessages(value, { provider: event.properties.$ai_provider as string, defaultRole: key === '$ai_input' ? 'user' : 'assistant' })
        const unknownParts = messages.flatMap((message) => message.parts).filter((part) => part.type === 'unknown')
        expect(unknownParts, `${event.uuid} ${key}`).toEqual([])
        expect(messages.every((message) => message.role !== 'unknown')).toBe(true)
      }
    }
  })
})
